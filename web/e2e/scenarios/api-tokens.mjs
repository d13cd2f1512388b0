// Scenario api-tokens: (extra) create, rotate and revoke an API token

import { assert, expectHeading, firstAdminSignIn, STEP_TIMEOUT } from '../lib.mjs';

export default {
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
};
