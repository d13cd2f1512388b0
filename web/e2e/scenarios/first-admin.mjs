// Scenario first-admin: first admin: one-time password, password change, MFA enrolment, recovery codes, shell

import { assert, cspProblem, firstAdminSignIn, STEP_TIMEOUT } from '../lib.mjs';

export default {
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
};
