// Scenario stay-signed-in: (extra) "Stay signed in" extends an idle session (keepalive)

import { assert, expectHeading, firstAdminSignIn, sleep } from '../lib.mjs';

export default {
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
};
