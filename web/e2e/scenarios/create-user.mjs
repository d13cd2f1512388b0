// Scenario create-user: an admin creates a user and sees the one-time password

import { assert, expectHeading, firstAdminSignIn, STEP_TIMEOUT } from '../lib.mjs';

export default {
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
};
