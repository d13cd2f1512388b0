import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deviceRoute, hashFor, INVENTORY_COMPARE_ROUTE, inventoryRoute, isShellRoute, navItems, navRoute, parseHash, resolveShellRoute, routeForNext, shellPage } from '../src/routes.ts';

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
    assert.equal(hashFor(deviceRoute('4f9c2a17')), '#/devices/4f9c2a17');
  });
  it('parses a device page with its id', () => {
    assert.equal(parseHash('#/devices'), 'devices');
    assert.equal(parseHash('#/devices/4f9c2a17b3e04d6e9a1c5b7d8e2f6a30'), 'devices/4f9c2a17b3e04d6e9a1c5b7d8e2f6a30');
    assert.equal(parseHash('#/devices/abc/?range=7d'), 'devices/abc');
    assert.equal(parseHash('#/devices/a b'), null);
    assert.equal(parseHash('#/devices/abc/events'), null);
    assert.equal(parseHash('#/devices/' + 'a'.repeat(65)), null);
    assert.deepEqual(shellPage('devices/abc'), { page: 'device', param: 'abc' });
    assert.deepEqual(shellPage('devices'), { page: 'devices', param: null });
    assert.equal(navRoute('devices/abc'), 'devices');
    assert.equal(isShellRoute('devices/abc'), true);
    assert.equal(isShellRoute('login'), false);
  });
  it('parses the inventory, an observed device and the comparison', () => {
    assert.equal(parseHash('#/inventory?type=infusion_pump&seen=7d'), 'inventory');
    assert.deepEqual(shellPage('inventory'), { page: 'inventory', param: null });
    assert.equal(parseHash('#/inventory/compare?days=30'), 'inventory/compare');
    assert.deepEqual(shellPage(INVENTORY_COMPARE_ROUTE), { page: 'inventory-compare', param: null });
    assert.equal(parseHash('#/inventory/mac-0018ba98688f'), 'inventory/mac-0018ba98688f');
    assert.deepEqual(shellPage('inventory/mac-0018ba98688f'), { page: 'inventory-device', param: 'mac-0018ba98688f' });
    assert.deepEqual(shellPage('inventory/ip-10.1.2.3'), { page: 'inventory-device', param: 'ip-10.1.2.3' });
    assert.equal(parseHash('#/inventory/a/b'), null);
    assert.equal(parseHash('#/inventory/a b'), null);
    assert.equal(navRoute('inventory/compare'), 'inventory');
    assert.equal(navRoute('inventory/ip-10.1.2.3'), 'inventory');
  });
  it('encodes an observed device id in its route and decodes it back', () => {
    const route = inventoryRoute('ip-fe80::1');
    assert.equal(hashFor(route), '#/inventory/ip-fe80%3A%3A1');
    assert.equal(parseHash(hashFor(route)), route);
    assert.deepEqual(shellPage(route), { page: 'inventory-device', param: 'ip-fe80::1' });
    assert.deepEqual(shellPage('inventory/ip-%zz'), { page: 'inventory-device', param: 'ip-%zz' });
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
  it('shows Devices with devices.read', () => {
    assert.deepEqual(navItems(['self', 'devices.read', 'tokens.own']).map((i) => i.label), ['Account', 'Devices', 'API tokens']);
  });
  it('shows Inventory with inventory.read', () => {
    assert.deepEqual(navItems(['self', 'devices.read', 'inventory.read']).map((i) => i.label), ['Account', 'Devices', 'Inventory']);
    assert.deepEqual(navItems(['self', 'devices.read']).map((i) => i.label), ['Account', 'Devices']);
    assert.equal(resolveShellRoute('inventory/mac-0018ba98688f', ['self', 'inventory.read']), 'inventory/mac-0018ba98688f');
    assert.equal(resolveShellRoute('inventory/compare', ['self']), 'account');
  });
  it('sends a page the role may not open to the account page', () => {
    assert.equal(resolveShellRoute('users', ['self']), 'account');
    assert.equal(resolveShellRoute('users', ['self', 'users.read']), 'users');
    assert.equal(resolveShellRoute('login', ['self']), 'account');
    assert.equal(resolveShellRoute(null, ['self']), 'account');
    assert.equal(resolveShellRoute('devices/abc', ['self', 'devices.read']), 'devices/abc');
    assert.equal(resolveShellRoute('devices/abc', ['self']), 'account');
  });
});
