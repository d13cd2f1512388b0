#!/usr/bin/env node
// End-to-end tests of the dashboard against a real `vigil serve`, driven by playwright-core in
// Debian's Chromium (/usr/bin/chromium). Each scenario gets a fresh server (fresh data
// directory) and a fresh browser profile. Helpers are in lib.mjs (server, browser, TOTP, sign-in)
// and gateway.mjs (a device played from node); one file per scenario in scenarios/, run in the
// order listed below.
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
//   VIGIL_FIXTURES     the shared fixtures (default ../shared/data beside the checkout); the
//                      inventory scenario is skipped when its captures are not there
//
// A scenario is { name, title, toml?, prepare?(dataDir), skip?(), run(browser, server) }:
// prepare runs before the server starts on the data directory; skip returns why the scenario
// cannot run here (or null).
//
// A scenario fails on any console error or Content-Security-Policy violation, except the
// browser's own "Failed to load resource" line for an /api/ answer with an expected status
// (400, 401, 403, 429): those are the API's normal error answers, handled by the page.

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openBrowser, SHOTS, startServer, VIGIL_BIN } from './lib.mjs';
import firstAdmin from './scenarios/first-admin.mjs';
import relogin from './scenarios/relogin.mjs';
import lockout from './scenarios/lockout.mjs';
import idleExpiry from './scenarios/idle-expiry.mjs';
import createUser from './scenarios/create-user.mjs';
import staySignedIn from './scenarios/stay-signed-in.mjs';
import accountSelfService from './scenarios/account-self-service.mjs';
import apiTokens from './scenarios/api-tokens.mjs';
import devices from './scenarios/devices.mjs';
import inventory from './scenarios/inventory.mjs';

const ONLY = (process.env.VIGIL_E2E_ONLY || '').split(',').map((s) => s.trim()).filter(Boolean);

const scenarios = [firstAdmin, relogin, lockout, idleExpiry, createUser, staySignedIn, accountSelfService, apiTokens, devices, inventory];

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
  let skipped = 0;
  for (const s of chosen) {
    const why = s.skip ? s.skip() : null;
    if (why) {
      skipped += 1;
      console.log('skip ' + s.name + ': ' + why);
      continue;
    }
    const started = Date.now();
    let server = null;
    let b = null;
    let detail = '';
    let error = null;
    for (const f of readdirSync(SHOTS)) if (f.startsWith(s.name + '-') && f.endsWith('.png')) rmSync(path.join(SHOTS, f));
    try {
      server = await startServer({ toml: s.toml ?? null, prepare: s.prepare ?? null });
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
  console.log(passed + ' passed, ' + failed + ' failed' + (skipped > 0 ? ', ' + skipped + ' skipped' : ''));
  process.exit(failed === 0 ? 0 : 1);
}

await main();
