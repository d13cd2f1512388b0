import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashFor, navItems, parseHash, resolveShellRoute, routeForNext } from '../src/routes.ts';

describe('hash routes', () => {
  it('parses known routes', () => {
    assert.equal(parseHash('#/login'), 'login');
    assert.equal(parseHash('#/users'), 'users');
    assert.equal(parseHash('#/tokens/'), 'tokens');
    assert.equal(parseHash('#/account?tab=x'), 'account');
    assert.equal(parseHash('#/mfa-enrol'), 'mfa-enrol');
  });
  it('returns null for unknown or empty', () => {
    assert.equal(parseHash(''), null);
    assert.equal(parseHash('#/'), null);
    assert.equal(parseHash('#/nope'), null);
  });
  it('builds hashes', () => {
    assert.equal(hashFor('account'), '#/account');
  });
  it('maps the sign-in step to its page', () => {
    assert.equal(routeForNext('password_change'), 'password');
    assert.equal(routeForNext('mfa_enrolment'), 'mfa-enrol');
    assert.equal(routeForNext('mfa'), 'mfa');
    assert.equal(routeForNext('emergency_code'), 'mfa');
    assert.equal(routeForNext('done'), null);
  });
});

describe('navigation', () => {
  it('shows Users only with users.read', () => {
    assert.deepEqual(navItems(['self', 'tokens.own']).map((i) => i.label), ['Account', 'API tokens']);
    assert.deepEqual(navItems(['self', 'users.read', 'tokens.own']).map((i) => i.label), ['Account', 'Users', 'API tokens']);
    assert.deepEqual(navItems(['self']).map((i) => i.label), ['Account']);
  });
  it('sends a page the role may not open to the account page', () => {
    assert.equal(resolveShellRoute('users', ['self']), 'account');
    assert.equal(resolveShellRoute('users', ['self', 'users.read']), 'users');
    assert.equal(resolveShellRoute('login', ['self']), 'account');
    assert.equal(resolveShellRoute(null, ['self']), 'account');
  });
});
