// Shared helpers of the end-to-end tests (see run.mjs): the server, the browser, TOTP codes and
// the first admin's sign-in. Scenarios import what they need from here and from gateway.mjs.

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const webDir = path.resolve(here, '..');
export const VIGIL_BIN = process.env.VIGIL_BIN;
export const SHOTS = path.resolve(process.env.VIGIL_SCREENSHOTS || path.join(webDir, 'e2e-screenshots'));
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
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
export const PASSPHRASE = 'amber lantern orchard velvet 4817';
export const STEP_TIMEOUT = 15_000;

// ------------------------------------------------------------------------------------------
// The server.

/** Starts `VIGIL_BIN serve` on a fresh data directory; resolves once it prints its address and the first admin's one-time password. */
export async function startServer({ toml = null, prepare = null } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-e2e-'));
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let config = toml ?? '';
  if (process.env.VIGIL_WEB_ROOT) config = '[server]\nweb_root = ' + JSON.stringify(path.resolve(process.env.VIGIL_WEB_ROOT)) + '\n' + config;
  if (config !== '') writeFileSync(path.join(dataDir, 'vigil.toml'), config, { mode: 0o600 });
  // What a scenario puts in the data directory before the server holds it (a sensor's capture).
  let prepared = null;
  try {
    if (prepare !== null) prepared = await prepare(dataDir);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
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
  return { url: found.url.replace(/\/+$/, ''), otp: found.otp, log, stop, notes, dataDir, prepared };
}

// ------------------------------------------------------------------------------------------
// TOTP through oathtool, never reusing a 30-second step (the server accepts each code once).

const usedSteps = new Map();

function currentStep() {
  return Math.floor(Date.now() / 1000 / 30);
}

/** A TOTP code for `key` from a step not used before for that key (waits for the next step if needed). */
export async function freshTotp(key) {
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

export function wrongCode(right) {
  return String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// ------------------------------------------------------------------------------------------
// Browser helpers.

export async function openBrowser(name) {
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
  /** A screenshot under a fixed name (for documentation: "inventory.png"). */
  const screenshotAs = async (file) => {
    await page.screenshot({ path: path.join(SHOTS, file), fullPage: true });
  };
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, problems, screenshot, screenshotAs, close, mainResponses };
}

export async function expectHeading(page, name, timeout = STEP_TIMEOUT) {
  await page.getByRole('heading', { level: 1, name }).waitFor({ state: 'visible', timeout });
}

/** Null when the policy is at least as strict as the contract's for what the page needs; else why not. */
export function cspProblem(csp) {
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

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** Login page -> forced password change -> MFA enrolment -> recovery codes -> shell. */
export async function firstAdminSignIn(b, server, { shots = true } = {}) {
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

export async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).first().click();
  await expectHeading(page, 'Sign in');
}

export async function signInWithPassword(page, server, password = PASSPHRASE) {
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
