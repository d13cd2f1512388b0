// Scenario account-self-service: (extra) recovery-code sign-in, password change, new recovery codes, sign out everywhere

import { assert, expectHeading, firstAdminSignIn, freshTotp, PASSPHRASE, signInWithPassword, signOut } from '../lib.mjs';

export default {
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
};
