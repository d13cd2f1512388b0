#!/usr/bin/env node
// End-to-end tests of the dashboard against a real `vigil serve`, driven by playwright-core in
// Debian's Chromium (/usr/bin/chromium). Each scenario gets a fresh server (fresh data
// directory) and a fresh browser profile.
//
//   VIGIL_BIN=/path/to/vigil npm run e2e
//
// Environment:
//   VIGIL_BIN          the vigil binary (required).
//   VIGIL_SCREENSHOTS  where screenshots go (default web/e2e-screenshots)
//   VIGIL_E2E_ONLY     comma-separated scenario names to run (default: all)
//   CHROMIUM           the browser (default /usr/bin/chromium)
//   VIGIL_WEB_ROOT     if set, written to vigil.toml as [server] web_root (default: none, the
//                      server's compiled-in web/dist)
//   VIGIL_E2E_SERVER_LOG=1  print the server's output when a scenario fails
//
// A scenario fails on any console error or Content-Security-Policy violation, except the
// browser's own "Failed to load resource" line for an /api/ answer with an expected status
// (400, 401, 403, 429): those are the API's normal error answers, handled by the page.

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, '..');
const VIGIL_BIN = process.env.VIGIL_BIN;
const SHOTS = path.resolve(process.env.VIGIL_SCREENSHOTS || path.join(webDir, 'e2e-screenshots'));
const ONLY = (process.env.VIGIL_E2E_ONLY || '').split(',').map((s) => s.trim()).filter(Boolean);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PASSPHRASE = 'amber lantern orchard velvet 4817';
const STEP_TIMEOUT = 15_000;

// ------------------------------------------------------------------------------------------
// The server.

/** Starts `VIGIL_BIN serve` on a fresh data directory; resolves once it prints its address and the first admin's one-time password. */
async function startServer({ toml = null } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-e2e-'));
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let config = toml ?? '';
  if (process.env.VIGIL_WEB_ROOT) config = '[server]\nweb_root = ' + JSON.stringify(path.resolve(process.env.VIGIL_WEB_ROOT)) + '\n' + config;
  if (config !== '') writeFileSync(path.join(dataDir, 'vigil.toml'), config, { mode: 0o600 });
  const proc = spawn(VIGIL_BIN, ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--gateway-listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  const found = { url: null, otp: null, otpStream: null, urlStream: null };
  let exited = null;
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not print both its address and the one-time password within 30 s')), 30_000);
    const check = () => {
      if (found.url !== null && found.otp !== null) {
        clearTimeout(timer);
        resolve();
      }
    };
    const feed = (stream, name) => {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          log.push(name + ': ' + line);
          const u = /is serving (https:\/\/\S+)/.exec(line);
          if (u && found.url === null) {
            found.url = u[1].replace(/[.,;)\]]+$/, '');
            found.urlStream = name;
          }
          const o = /one-time password: (\S+)/.exec(line);
          if (o && found.otp === null) {
            found.otp = o[1];
            found.otpStream = name;
          }
          check();
        }
      });
    };
    feed(proc.stdout, 'stdout');
    feed(proc.stderr, 'stderr');
    proc.on('exit', (code, signal) => {
      exited = { code, signal };
      clearTimeout(timer);
      reject(new Error('server exited early (' + (code ?? signal) + ')'));
    });
    proc.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  const stop = async () => {
    if (exited === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await ready;
  } catch (e) {
    await stop().catch(() => {});
    e.message += '\n--- server output ---\n' + log.join('\n');
    throw e;
  }
  const notes = [];
  if (found.urlStream !== 'stdout') notes.push('the "is serving" line came on ' + found.urlStream + ', not stdout');
  if (found.otpStream !== 'stdout') notes.push('the "one-time password" line came on ' + found.otpStream + ', not stdout');
  return { url: found.url.replace(/\/+$/, ''), otp: found.otp, log, stop, notes };
}

/** The gateway address and device CA fingerprint from the serve output ("  devices:  gateway on URL ...; device CA fingerprint" and the next line). */
function gatewayOf(server) {
  const lines = server.log.map((l) => l.replace(/^std(out|err): /, ''));
  const i = lines.findIndex((l) => /devices:\s+gateway on https:\/\//.test(l));
  assert(i >= 0 && i + 1 < lines.length, 'the serve output has no "devices: gateway on" line');
  const url = /gateway on (https:\/\/\S+)/.exec(lines[i])[1].replace(/[.,;)\]]+$/, '');
  const fingerprint = lines[i + 1].trim();
  assert(/^[0-9a-f]{64}$/.test(fingerprint), 'no SHA-256 fingerprint after the gateway line: ' + lines[i + 1]);
  return { url, fingerprint };
}

// ------------------------------------------------------------------------------------------
// A device, played from node: key and CSR by openssl, then the gateway's JSON over (mutual) TLS.

/**
 * First contact: the root certificate the gateway presents, as PEM, once its SHA-256 fingerprint
 * equals `pin` (what the agent's --ca-fingerprint does). Nothing is sent on this connection.
 */
function pinnedRoot(base, pin) {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), rejectUnauthorized: false, }, () => {
      const seen = [];
      let root = null;
      for (let c = socket.getPeerCertificate(true); c && c.fingerprint256; c = c.issuerCertificate === c ? null : c.issuerCertificate) {
        const fp = c.fingerprint256.replace(/:/g, '').toLowerCase();
        seen.push(fp);
        if (fp === pin) root = c.raw;
      }
      socket.end();
      if (root === null) reject(new Error('the gateway presented no certificate with the pinned fingerprint (saw ' + seen.join(', ') + ')'));
      else resolve('-----BEGIN CERTIFICATE-----\n' + root.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n?$/, '\n') + '-----END CERTIFICATE-----\n');
    });
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('timed out')));
  });
}

/**
 * POSTs JSON to the gateway on a fresh connection, verified against `tls.ca` (the pinned root,
 * then the device CA chain); with `tls.key` and `tls.cert` it is mutual TLS. Resolves
 * { status, body, text }, or { error } when the connection or handshake fails.
 */
function gatewayPost(base, pathname, body, tlsOptions) {
  const url = new URL(pathname, base);
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = https.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
        ...tlsOptions,
        // The gateway's name is whatever [gateway] server_names says; the chain is what is checked here.
        checkServerIdentity: () => undefined,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let json = null;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode, body: json, text });
        });
      },
    );
    req.on('error', (error) => resolve({ error }));
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.end(payload);
  });
}

/** Enrols with `token` (key and CSR by openssl) and returns the mutual-TLS material. */
async function enrolDevice(gateway, token) {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-e2e-device-'));
  try {
    const keyFile = path.join(dir, 'device.key');
    const csrFile = path.join(dir, 'device.csr');
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', csrFile, '-subj', '/CN=x'], { stdio: 'ignore' });
    const csr = readFileSync(csrFile, 'utf8');
    const root = await pinnedRoot(gateway.url, gateway.fingerprint);
    const answer = await gatewayPost(gateway.url, '/v1/enroll', { token, csr }, { ca: root });
    assert(!answer.error, 'enrol: ' + answer.error?.message);
    assert(answer.status === 200 || answer.status === 201, 'enrol answered ' + answer.status + ': ' + answer.text);
    const { device_id: deviceId, certificate, ca_chain: caChain } = answer.body ?? {};
    assert(typeof certificate === 'string' && certificate.includes('BEGIN CERTIFICATE'), 'enrol answer has no certificate: ' + answer.text);
    return { deviceId, tls: { key: readFileSync(keyFile, 'utf8'), cert: certificate, ca: caChain } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------
// TOTP through oathtool, never reusing a 30-second step (the server accepts each code once).

const usedSteps = new Map();

function currentStep() {
  return Math.floor(Date.now() / 1000 / 30);
}

/** A TOTP code for `key` from a step not used before for that key (waits for the next step if needed). */
async function freshTotp(key) {
  const clean = key.replace(/\s+/g, '');
  const last = usedSteps.get(clean) ?? -1;
  while (currentStep() <= last) {
    const msToNext = (currentStep() + 1) * 30_000 - Date.now() + 250;
    await sleep(Math.max(100, msToNext));
  }
  // Avoid a step that is about to end: the code might arrive after it rolled over.
  const intoStep = (Date.now() / 1000) % 30;
  if (intoStep > 28) await sleep((30 - intoStep) * 1000 + 250);
  const step = currentStep();
  const code = execFileSync('oathtool', ['--totp', '-b', clean], { encoding: 'utf8' }).trim();
  usedSteps.set(clean, step);
  return code;
}

function wrongCode(right) {
  return String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// ------------------------------------------------------------------------------------------
// Browser helpers.

async function openBrowser(name) {
  const profile = mkdtempSync(path.join(tmpdir(), 'vigil-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 800 },
  });
  const problems = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' at ' + e.sourceFile + ':' + e.lineNumber);
    });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const url = msg.location()?.url ?? '';
    if (/^Failed to load resource: the server responded with a status of (400|401|403|429)\b/.test(text) && url.includes('/api/')) return;
    problems.push('console error: ' + text + (url ? ' (' + url + ')' : ''));
  });
  page.on('pageerror', (err) => problems.push('page error: ' + err.message));
  const mainResponses = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'document') mainResponses.push(r);
  });
  let shot = 0;
  const screenshot = async (label) => {
    shot += 1;
    const file = path.join(SHOTS, name + '-' + String(shot).padStart(2, '0') + '-' + label + '.png');
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, problems, screenshot, close, mainResponses };
}

async function expectHeading(page, name, timeout = STEP_TIMEOUT) {
  await page.getByRole('heading', { level: 1, name }).waitFor({ state: 'visible', timeout });
}

/** Null when the policy is at least as strict as the contract's for what the page needs; else why not. */
function cspProblem(csp) {
  if (!csp) return 'missing';
  const dirs = {};
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) dirs[name.toLowerCase()] = values;
  }
  const effective = (d) => dirs[d] ?? dirs['default-src'] ?? null;
  for (const d of ['script-src', 'style-src', 'connect-src']) {
    const v = effective(d);
    if (v === null) return d + ' is not restricted';
    if (v.some((x) => /unsafe|\*|https?:/.test(x))) return d + ' allows more than \'self\'';
  }
  if (!(effective('img-src') ?? []).includes('data:')) return 'img-src lacks data: (the QR code is a data: image)';
  if (!(dirs['frame-ancestors'] ?? []).includes("'none'")) return "frame-ancestors is not 'none'";
  return null;
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** Login page -> forced password change -> MFA enrolment -> recovery codes -> shell. */
async function firstAdminSignIn(b, server, { shots = true } = {}) {
  const { page } = b;
  await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
  await expectHeading(page, 'Sign in');
  if (shots) await b.screenshot('login');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(server.otp);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expectHeading(page, 'Choose your password');
  await page.getByLabel('New password', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Repeat the new password').fill(PASSPHRASE);
  if (shots) await b.screenshot('password-change');
  await page.getByRole('button', { name: 'Set password' }).click();

  await expectHeading(page, 'Set up two-factor authentication');
  const qr = page.getByRole('img', { name: /QR code/ });
  await qr.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
  const qrInfo = await qr.evaluate((img) => ({ src: img.getAttribute('src') || '', w: img.naturalWidth, complete: img.complete }));
  assert(qrInfo.src.startsWith('data:image/svg+xml;base64,'), 'QR image is not a base64 SVG data URI');
  await page.waitForFunction(() => {
    const img = document.querySelector('.qr img');
    return img instanceof HTMLImageElement && img.complete;
  });
  const decoded = await qr.evaluate((img) => img.naturalWidth > 0);
  assert(decoded, 'the QR SVG from qr_svg did not decode as an image');
  const shownKey = (await page.locator('code.key').innerText()).trim();
  assert(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/.test(shownKey), 'manual key not grouped in fours: ' + shownKey);
  if (shots) await b.screenshot('mfa-enrol');
  const key = shownKey.replace(/\s+/g, '');
  await page.getByLabel('Code from your app').fill(await freshTotp(key));
  await page.getByRole('button', { name: 'Confirm' }).click();

  await expectHeading(page, 'Save your recovery codes');
  const codes = await page.locator('ol.code-list li').allInnerTexts();
  assert(codes.length === 10, 'expected 10 recovery codes, saw ' + codes.length);
  const cont = page.getByRole('button', { name: 'Continue to Vigil' });
  assert(await cont.isDisabled(), '"Continue" should wait for "I have saved these"');
  if (shots) await b.screenshot('recovery-codes');
  await page.getByLabel('I have saved these recovery codes').check();
  await cont.click();

  await expectHeading(page, 'Account');
  await page.locator('.who-name', { hasText: 'admin' }).waitFor({ timeout: STEP_TIMEOUT });
  return { key, recoveryCodes: codes };
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).first().click();
  await expectHeading(page, 'Sign in');
}

async function signInWithPassword(page, server, password = PASSPHRASE) {
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

// ------------------------------------------------------------------------------------------
// Scenarios.

const scenarios = [
  {
    name: 'first-admin',
    title: 'first admin: one-time password, password change, MFA enrolment, recovery codes, shell',
    async run(b, server) {
      await firstAdminSignIn(b, server);
      const who = await b.page.locator('.who').innerText();
      assert(/admin/.test(who) && /Admin/.test(who), 'top bar does not show "admin" and the role: ' + who);
      const nav = await b.page.getByRole('navigation', { name: 'Main' }).innerText();
      assert(/Account/.test(nav) && /Users/.test(nav) && /API tokens/.test(nav), 'navigation incomplete: ' + nav);
      await b.page.getByRole('cell', { name: /This session/ }).waitFor({ timeout: STEP_TIMEOUT });
      await b.screenshot('account');
      const doc = b.mainResponses.find((r) => r.url().startsWith(server.url));
      const csp = doc ? (await doc.allHeaders())['content-security-policy'] : undefined;
      const problem = cspProblem(csp);
      if (problem !== null) server.notes.push('Content-Security-Policy of the page: ' + problem + ' (' + (csp ?? 'none') + ')');
    },
  },
  {
    name: 'relogin',
    title: 'log out, log in again with password and a fresh TOTP',
    async run(b, server) {
      const { key } = await firstAdminSignIn(b, server, { shots: false });
      await signOut(b.page);
      await b.page.getByText('You have signed out.').waitFor({ timeout: STEP_TIMEOUT });
      await signInWithPassword(b.page, server);
      await expectHeading(b.page, 'Two-factor authentication');
      await b.page.getByRole('button', { name: 'Use a recovery code instead' }).waitFor();
      await b.screenshot('mfa-challenge');
      await b.page.getByLabel('Code from your authenticator app').fill(await freshTotp(key));
      await b.page.getByRole('button', { name: 'Verify' }).click();
      await expectHeading(b.page, 'Account');
      await b.page.locator('.who-name', { hasText: 'admin' }).waitFor({ timeout: STEP_TIMEOUT });
      await b.screenshot('signed-in-again');
    },
  },
  {
    name: 'lockout',
    title: 'five wrong codes lock the account',
    async run(b, server) {
      const { key } = await firstAdminSignIn(b, server, { shots: false });
      await signOut(b.page);
      await signInWithPassword(b.page, server);
      await expectHeading(b.page, 'Two-factor authentication');
      const right = execFileSync('oathtool', ['--totp', '-b', key], { encoding: 'utf8' }).trim();
      let lockedAt = 0;
      let wrong = 0;
      const statuses = [];
      for (let tries = 0; tries < 20 && wrong < 6 && lockedAt === 0; tries += 1) {
        await b.page.getByLabel('Code from your authenticator app').fill(wrongCode(right));
        const answer = b.page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/mfa') && r.request().method() === 'POST', { timeout: STEP_TIMEOUT });
        await b.page.getByRole('button', { name: 'Verify' }).click();
        const response = await answer;
        const status = response.status();
        let code = '';
        try {
          code = (await response.json())?.error?.code ?? '';
        } catch {
          // no JSON body
        }
        statuses.push(status + (code ? ' ' + code : ''));
        if (status === 429 && code === 'rate_limited') {
          // The progressive delay between failures: not a wrong code; wait as told and retry.
          await b.page.getByText(/wait|try again/i).first().waitFor({ timeout: STEP_TIMEOUT });
          const after = Number(response.headers()['retry-after'] ?? '1');
          await sleep((Number.isFinite(after) ? after : 1) * 1000 + 300);
          continue;
        }
        wrong += 1;
        if (status === 429) {
          await expectHeading(b.page, 'Account locked');
          lockedAt = wrong;
        } else {
          await b.page.getByText('That code is not valid').waitFor({ timeout: STEP_TIMEOUT });
          await b.page.waitForFunction(() => {
            const btn = [...document.querySelectorAll('button')].find((x) => x.textContent === 'Verify');
            return btn !== undefined && !btn.disabled;
          });
        }
      }
      assert(lockedAt > 0, 'no locked message after ' + wrong + ' wrong codes (answers: ' + statuses.join(', ') + ')');
      if (lockedAt !== 5) server.notes.push('the locked answer came on wrong code #' + lockedAt + ' (expected the 5th)');
      await b.page.getByText('This account is locked').waitFor();
      await b.screenshot('locked');
      await b.page.getByRole('button', { name: 'Back to sign in' }).click();
      await expectHeading(b.page, 'Sign in');
      await signInWithPassword(b.page, server);
      await b.page.getByText('Account locked', { exact: true }).waitFor({ timeout: STEP_TIMEOUT });
      await b.screenshot('login-while-locked');
      return 'locked at wrong code #' + lockedAt + '; answers: ' + statuses.join(', ');
    },
  },
  {
    name: 'idle-expiry',
    title: 'an idle session expires (8 s): warning banner, then the login page says so',
    toml: '[identity]\nsession_idle_timeout_seconds = 8\n',
    async run(b, server) {
      await firstAdminSignIn(b, server, { shots: false });
      const banner = b.page.getByRole('region', { name: 'Session expiry' });
      await banner.waitFor({ state: 'visible', timeout: 10_000 });
      await banner.getByRole('button', { name: 'Stay signed in' }).waitFor();
      await b.screenshot('expiry-warning');
      await expectHeading(b.page, 'Sign in', 20_000);
      await b.page.getByText('Your session expired').waitFor({ timeout: 5_000 });
      await b.screenshot('session-expired');
    },
  },
  {
    name: 'create-user',
    title: 'an admin creates a user and sees the one-time password',
    async run(b, server) {
      await firstAdminSignIn(b, server, { shots: false });
      await b.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
      await expectHeading(b.page, 'Users');
      await b.page.getByRole('rowheader', { name: /admin/ }).waitFor({ timeout: STEP_TIMEOUT });
      await b.screenshot('users');
      await b.page.getByLabel('User name').fill('jdoe');
      await b.page.getByLabel('Role', { exact: true }).selectOption('clinical_engineer');
      await b.page.getByRole('button', { name: 'Create user' }).click();
      const secret = b.page.locator('.secret-value');
      await secret.waitFor({ timeout: STEP_TIMEOUT });
      const otp = (await secret.innerText()).trim();
      assert(otp.length >= 8, 'one-time password looks too short: "' + otp + '"');
      await b.page.getByText('Account created for jdoe').waitFor();
      await b.screenshot('user-created');
      await b.page.getByRole('button', { name: 'Done' }).click();
      const row = b.page.getByRole('row', { name: /jdoe/ });
      await row.waitFor();
      const rowText = await row.innerText();
      assert(/Clinical engineer/.test(rowText), 'new row lacks the role: ' + rowText);
      await b.page.getByRole('button', { name: 'Reset MFA of jdoe' }).click();
      const dialog = b.page.getByRole('dialog');
      await dialog.getByText('high-severity').waitFor();
      await b.screenshot('reset-mfa-dialog');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await b.page.setViewportSize({ width: 390, height: 800 });
      await b.screenshot('users-narrow');
    },
  },
  {
    name: 'stay-signed-in',
    title: '(extra) "Stay signed in" extends an idle session (keepalive)',
    toml: '[identity]\nsession_idle_timeout_seconds = 8\n',
    async run(b, server) {
      await firstAdminSignIn(b, server, { shots: false });
      const banner = b.page.getByRole('region', { name: 'Session expiry' });
      await banner.waitFor({ state: 'visible', timeout: 10_000 });
      // Let most of the 8 s pass, then keep the session.
      await b.page.waitForFunction(() => {
        const c = document.querySelector('.countdown');
        return c !== null && /^0:0[0-3]$/.test(c.textContent || '');
      }, null, { timeout: 15_000 });
      await banner.getByRole('button', { name: 'Stay signed in' }).click();
      await b.page.waitForFunction(() => /^0:0[6-9]$/.test(document.querySelector('.countdown')?.textContent || ''), null, { timeout: 5_000 });
      await sleep(4_000);
      assert(await b.page.getByRole('heading', { level: 1, name: 'Account' }).isVisible(), 'signed out although "Stay signed in" was clicked');
      await expectHeading(b.page, 'Sign in', 20_000);
      await b.page.getByText('Your session expired').waitFor({ timeout: 5_000 });
    },
  },
  {
    name: 'account-self-service',
    title: '(extra) recovery-code sign-in, password change, new recovery codes, sign out everywhere',
    async run(b, server) {
      const { key, recoveryCodes } = await firstAdminSignIn(b, server, { shots: false });
      const { page } = b;
      // Sign in again with a recovery code instead of a TOTP code.
      await signOut(page);
      await signInWithPassword(page, server);
      await expectHeading(page, 'Two-factor authentication');
      await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
      await page.getByLabel('Recovery code').fill(recoveryCodes[0].trim());
      await b.screenshot('recovery-code');
      await page.getByRole('button', { name: 'Verify' }).click();
      await expectHeading(page, 'Account');
      // Change password: wrong current password first.
      await page.getByLabel('Current password').fill('not the password at all');
      await page.getByLabel('New password', { exact: true }).fill(PASSPHRASE + ' two');
      await page.getByLabel('Repeat the new password').fill(PASSPHRASE + ' two');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('The current password is incorrect.').waitFor();
      await page.getByLabel('Current password').fill(PASSPHRASE);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('Your password was changed.').waitFor();
      // New recovery codes with a fresh TOTP.
      await page.getByLabel('Code from your authenticator app').fill(await freshTotp(key));
      await page.getByRole('button', { name: 'Generate new recovery codes' }).click();
      await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
      assert((await page.locator('ol.code-list li').count()) === 10, 'expected 10 new recovery codes');
      await page.getByLabel('I have saved these recovery codes').check();
      await b.screenshot('new-recovery-codes');
      await page.getByRole('button', { name: 'Done' }).click();
      // Sign out everywhere.
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      await b.screenshot('sign-out-everywhere');
      await dialog.getByRole('button', { name: 'Sign out everywhere' }).click();
      await expectHeading(page, 'Sign in');
      await page.getByText('You have been signed out of all sessions.').waitFor();
    },
  },
  {
    name: 'api-tokens',
    title: '(extra) create, rotate and revoke an API token',
    async run(b, server) {
      await firstAdminSignIn(b, server, { shots: false });
      await b.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
      await expectHeading(b.page, 'API tokens');
      await b.page.getByLabel('Name').fill('siem-export');
      await b.page.getByLabel(/\(self\)/).check();
      await b.page.getByLabel('Expires after (days)').fill('30');
      await b.page.getByRole('button', { name: 'Create token' }).click();
      const secret = b.page.locator('.secret-value');
      await secret.waitFor({ timeout: STEP_TIMEOUT });
      const first = (await secret.innerText()).trim();
      assert(first.startsWith('vgl_'), 'token secret does not start with vgl_: ' + first);
      await b.screenshot('token-created');
      await b.page.getByRole('button', { name: 'Done' }).click();
      await b.page.getByRole('button', { name: 'Rotate siem-export' }).click();
      await b.page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
      await b.page.getByText('New secret for siem-export').waitFor({ timeout: STEP_TIMEOUT });
      const second = (await secret.innerText()).trim();
      assert(second.startsWith('vgl_') && second !== first, 'rotation did not give a new secret');
      await b.page.getByRole('button', { name: 'Done' }).click();
      await b.page.getByRole('button', { name: 'Revoke siem-export' }).click();
      await b.page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
      // Rotation revoked the first secret's token already; once the list has reloaded, both
      // rows say Revoked and no Revoke button is left.
      await b.page.getByRole('button', { name: 'Revoke siem-export' }).waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
      const revokedRows = await b.page.getByRole('row', { name: /siem-export.*Revoked/ }).count();
      assert(revokedRows === 2, 'expected the rotated and the revoked token to show Revoked, got ' + revokedRows);
      await b.screenshot('tokens');
    },
  },
  {
    name: 'devices',
    title: '(extra) add a device and an enrolment token in the page; the device enrols, reports and is charted; revoke shuts it out',
    async run(b, server) {
      const gateway = gatewayOf(server);
      await firstAdminSignIn(b, server, { shots: false });
      const { page } = b;
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
      await expectHeading(page, 'Devices');
      await page.getByText('No devices yet.').waitFor();
      await page.getByLabel('Device name').fill('ICU pump 7');
      await page.getByLabel('Type', { exact: true }).selectOption('infusion_pump');
      assert((await page.getByLabel('Criticality').inputValue()) === 'life_sustaining', 'the criticality did not follow the type');
      await page.getByLabel('Manufacturer').fill('Baxter');
      await page.getByLabel('Model').fill('Sigma Spectrum');
      await page.getByLabel('Firmware').fill('8.0.1');
      await page.getByLabel('Location').fill('ICU bed 7');
      await page.getByRole('button', { name: 'Add device' }).click();
      await page.getByRole('heading', { name: 'Device ICU pump 7 added' }).waitFor();
      await page.getByRole('button', { name: 'Create enrolment token' }).click();
      const token = (await page.locator('.enrol-token-value').innerText()).trim();
      assert(/^vgle_[0-9a-f]{64}$/.test(token), 'enrolment token looks wrong: ' + token);
      const command = (await page.locator('.enrol-command').innerText()).trim();
      const parts = /^vigil-agent enroll --server (https:\/\/\S+) --token (\S+) --ca-fingerprint (\S+)$/.exec(command);
      assert(parts !== null, 'the page shows no enrol command line: ' + command);
      assert(parts[2] === token && parts[3] === gateway.fingerprint, 'the command\'s token or fingerprint is wrong: ' + command);
      const shown = new URL(parts[1]);
      const printed = new URL(gateway.url);
      const loopback = (h) => ['localhost', '127.0.0.1', '[::1]'].includes(h);
      if (shown.port === '0') {
        server.notes.push('gateway_listen in the token answer is the configured address with port 0, not the bound port: the command shows ' + parts[1]);
      } else {
        assert(shown.port === printed.port && (shown.hostname === printed.hostname || (loopback(shown.hostname) && loopback(printed.hostname))), 'the command\'s gateway ' + parts[1] + ' is not the one the server printed, ' + gateway.url);
      }
      await page.getByRole('button', { name: 'Copy command' }).waitFor();
      await b.screenshot('enrolment-token');

      // The device: enrol, heartbeat (firmware other than on record), telemetry, one event.
      const device = await enrolDevice(gateway, token);
      const now = Date.now();
      const at = (msAgo) => new Date(now - msAgo).toISOString();
      const heartbeat = { time: at(0), firmware_version: '8.0.2', agent_version: '0.1.0-e2e', uptime_seconds: 3600, state: 'in_use', spool_dropped: 0 };
      let r = await gatewayPost(gateway.url, '/v1/heartbeat', heartbeat, device.tls);
      assert(r.status === 200, 'heartbeat answered ' + (r.status ?? r.error?.message) + ' ' + (r.text ?? ''));
      const points = [];
      [[180_000, 12.5], [120_000, 31], [60_000, 22.25], [0, 12.5]].forEach(([ago, v]) => points.push({ name: 'cpu.percent', value: v, unit: '%', time: at(ago) }));
      points.push({ name: 'battery.percent', value: 87, unit: '%', time: at(30_000) }, { name: 'battery.percent', value: 86, unit: '%', time: at(0) });
      r = await gatewayPost(gateway.url, '/v1/telemetry', { points }, device.tls);
      assert(r.status === 200 && r.body?.accepted === points.length, 'telemetry answered ' + (r.status ?? r.error?.message) + ' ' + (r.text ?? ''));
      const events = [{ time: at(0), kind: 'security', severity: 'warning', message: 'service login failed for admin', attributes: { source: 'e2e' } }];
      r = await gatewayPost(gateway.url, '/v1/events', { events }, device.tls);
      assert(r.status === 200, 'events answered ' + (r.status ?? r.error?.message) + ' ' + (r.text ?? ''));

      // The inventory, then the device page.
      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('button', { name: 'Refresh' }).click();
      const row = page.getByRole('row', { name: /ICU pump 7/ });
      await row.getByText('Valid').waitFor();
      await row.getByText('0.1.0-e2e').waitFor();
      await b.screenshot('devices');
      await row.getByRole('link', { name: 'ICU pump 7' }).click();
      await expectHeading(page, 'ICU pump 7');
      assert(page.url().endsWith('#/devices/' + device.deviceId), 'device page address: ' + page.url());
      await page.locator('.heartbeat-agent', { hasText: '0.1.0-e2e' }).waitFor();
      await page.locator('.heartbeat .mismatch').first().waitFor();
      await page.getByRole('cell', { name: 'service login failed for admin' }).waitFor();
      const chart = page.locator('figure.chart[data-metric="cpu.percent"] .chart-box canvas');
      await chart.waitFor();
      await page.locator('figure.chart[data-metric="battery.percent"] .chart-box canvas').waitFor();
      const cpuSummary = (pattern) =>
        page.waitForFunction((re) => new RegExp(re).test(document.querySelector('figure.chart[data-metric="cpu.percent"] .chart-summary')?.textContent?.trim() ?? ''), pattern);
      // The last hour: every point as sent.
      await page.getByRole('button', { name: '1h' }).click();
      await cpuSummary('max 31% · 4 points$');
      // 24 hours: 5-minute roll-ups; the four points fall into one or two windows, the band keeps the maximum.
      await page.getByRole('button', { name: '24h' }).click();
      await cpuSummary('max 31% · [12] 5-minute means?$');
      await chart.waitFor();
      await page.getByRole('button', { name: '1h' }).click();
      await cpuSummary('4 points$');
      await chart.waitFor();
      await b.screenshot('device');

      // Revoke through the page; the device's next request is refused.
      await page.getByRole('button', { name: 'Revoke', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Reason').selectOption('key_compromise');
      await b.screenshot('revoke-dialog');
      await dialog.getByRole('button', { name: 'Revoke certificates' }).click();
      await page.locator('.certificate-status', { hasText: 'Revoked' }).waitFor();
      await page.getByText(/Revoked certificate/).waitFor();
      await b.screenshot('revoked');
      r = await gatewayPost(gateway.url, '/v1/heartbeat', heartbeat, device.tls);
      assert(r.error || r.status >= 400, 'the revoked device was answered ' + r.status + ' ' + r.text);
      return 'revoked device refused: ' + (r.error ? r.error.code ?? r.error.message : 'HTTP ' + r.status);
    },
  },
];

// ------------------------------------------------------------------------------------------

async function main() {
  if (!VIGIL_BIN) {
    console.error('e2e: set VIGIL_BIN to the vigil binary (for example build/lead/apps/vigil/vigil)');
    process.exit(2);
  }
  mkdirSync(SHOTS, { recursive: true });
  const chosen = scenarios.filter((s) => ONLY.length === 0 || ONLY.includes(s.name));
  let passed = 0;
  let failed = 0;
  for (const s of chosen) {
    const started = Date.now();
    let server = null;
    let b = null;
    let detail = '';
    let error = null;
    for (const f of readdirSync(SHOTS)) if (f.startsWith(s.name + '-') && f.endsWith('.png')) rmSync(path.join(SHOTS, f));
    try {
      server = await startServer({ toml: s.toml ?? null });
      b = await openBrowser(s.name);
      detail = (await s.run(b, server)) || '';
      if (b.problems.length > 0) throw new Error(b.problems.join('\n'));
    } catch (e) {
      error = e;
      if (b !== null) {
        await b.screenshot('FAILED').catch(() => {});
        if (b.problems.length > 0 && !String(e.message).includes(b.problems[0])) e.message += '\n' + b.problems.join('\n');
      }
    } finally {
      if (b !== null) await b.close();
      if (server !== null) await server.stop();
    }
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (error === null) {
      passed += 1;
      console.log('ok   ' + s.name + ' (' + secs + ' s) ' + s.title + (detail ? ' [' + detail + ']' : ''));
    } else {
      failed += 1;
      console.log('FAIL ' + s.name + ' (' + secs + ' s) ' + s.title);
      console.log('     ' + String(error.stack || error).split('\n').join('\n     '));
      if (server !== null) {
        const lines = process.env.VIGIL_E2E_SERVER_LOG ? server.log : server.log.slice(-15);
        console.log('     --- server output' + (process.env.VIGIL_E2E_SERVER_LOG ? '' : ' (last lines)') + ' ---\n     ' + lines.join('\n     '));
      }
    }
    for (const n of server?.notes ?? []) console.log('     note: ' + n);
  }
  console.log('screenshots: ' + SHOTS);
  console.log(passed + ' passed, ' + failed + ' failed');
  process.exit(failed === 0 ? 0 : 1);
}

await main();
