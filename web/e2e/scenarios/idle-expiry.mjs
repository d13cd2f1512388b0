// Scenario idle-expiry: an idle session expires (8 s): warning banner, then the login page says so

import { expectHeading, firstAdminSignIn } from '../lib.mjs';

export default {
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
};
