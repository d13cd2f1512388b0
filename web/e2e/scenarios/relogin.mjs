// Scenario relogin: log out, log in again with password and a fresh TOTP

import { expectHeading, firstAdminSignIn, freshTotp, signInWithPassword, signOut, STEP_TIMEOUT } from '../lib.mjs';

export default {
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
};
