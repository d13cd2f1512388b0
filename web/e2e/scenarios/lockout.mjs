// Scenario lockout: five wrong codes lock the account

import { execFileSync } from 'node:child_process';
import { assert, expectHeading, firstAdminSignIn, signInWithPassword, signOut, sleep, STEP_TIMEOUT, wrongCode } from '../lib.mjs';

export default {
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
};
