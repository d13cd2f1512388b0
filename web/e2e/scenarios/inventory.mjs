// Scenario inventory: the sensor reads shared captures into the data directory before the server
// starts; the observed inventory, its filters and search, a device's identity, evidence,
// findings, peers and flows, a peer's page, and the comparison with a registered device.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { assert, expectHeading, firstAdminSignIn, VIGIL_BIN, webDir } from '../lib.mjs';

const FIXTURES = path.resolve(process.env.VIGIL_FIXTURES || path.join(webDir, '..', '..', 'shared', 'data'));
// DHCP (a host name), HL7 over MLLP on port 6661 (patient data in clear text), LLDP and CDP from
// two Cisco switches (identified with evidence), UPnP/WS-Discovery multicast.
const CAPTURES = ['zeek_dhcp.pcap', 'ndpi_hl7.pcap', 'tcpdump_LLDP_and_CDP.pcap', 'ndpi_upnp.pcap'].map((f) => path.join(FIXTURES, 'pcap', f));

/** Registers a device through the REST API with the page's session (CSRF token from /me). */
async function registerDevice(page, device) {
  return page.evaluate(async (body) => {
    const me = await (await fetch('/api/v1/me', { credentials: 'same-origin' })).json();
    const r = await fetch('/api/v1/devices', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: await r.json() };
  }, device);
}

function rowCount(page) {
  return page.locator('table.inventory-table tbody tr').count();
}

export default {
  name: 'inventory',
  title: '(extra) sensor captures feed the observed inventory: filters, search, device page, peers, compare',
  // The captures are years old: keep their flow history (the server deletes what is past retention).
  toml: '[inventory]\nflow_retention_days = 3650\n',
  skip() {
    const missing = CAPTURES.filter((f) => !existsSync(f));
    return missing.length === 0 ? null : 'shared fixture captures not found (' + missing.join(', ') + '); set VIGIL_FIXTURES to the shared data folder';
  },
  /** Runs the sensor on the captures into the data directory; returns its summary line. */
  prepare(dataDir) {
    const r = spawnSync(VIGIL_BIN, ['sensor', '--pcap', ...CAPTURES, '--data-dir', dataDir], { encoding: 'utf8', timeout: 60_000 });
    const output = (r.stdout ?? '') + (r.stderr ?? '');
    assert(r.status === 0, 'vigil sensor --data-dir failed (' + (r.status ?? r.signal ?? r.error?.message) + '):\n' + output);
    return output.split('\n').find((l) => /^sensor: \d+ packets/.test(l)) ?? '';
  },
  async run(b, server) {
    await firstAdminSignIn(b, server, { shots: false });
    const { page } = b;
    // One registered device that the sensor saw (S1 by its CDP device id), last seen in 2010.
    const reg = await registerDevice(page, { name: 'S1', type: 'network_device', manufacturer: 'Cisco', model: 'WS-C3560-24TS', criticality: 'non_clinical', location: 'Core room' });
    assert(reg.status === 201 || reg.status === 200, 'registering S1 answered ' + reg.status + ' ' + JSON.stringify(reg.body));
    const registeredId = reg.body.device.id;

    // The list: everything the captures gave.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory' }).click();
    await expectHeading(page, 'Inventory');
    const count = page.locator('.inventory-count');
    await count.waitFor();
    const all = (await count.innerText()).trim();
    const total = Number(/of (\d+)/.exec(all)?.[1] ?? 'NaN');
    assert(total >= 5, 'expected at least 5 observed devices, the page says: ' + all);
    const hl7Row = page.getByRole('row', { name: /10\.0\.0\.155/ });
    await hl7Row.getByText('hl7 (clear text)').waitFor();
    await hl7Row.getByText('00:0c:29:b5:b6:48').waitFor();
    await page.getByRole('row', { name: /btest\.is\.cool/ }).waitFor();
    await b.screenshotAs('inventory.png');

    // Filter by type, then search: the address keeps both, and a reload shows the same.
    await page.getByLabel('Type', { exact: true }).selectOption('network_device');
    await page.waitForFunction(() => window.location.hash.includes('type=network_device'));
    await page.locator('.inventory-count', { hasText: /of 2 observed devices/ }).waitFor();
    const s1Row = page.getByRole('row', { name: /S1/ });
    await s1Row.getByText('12.2(44)SE').waitFor();
    await s1Row.getByText('High · 85%').first().waitFor();
    await page.getByLabel('Search').fill('S1');
    await page.waitForFunction(() => window.location.hash.includes('search=S1'));
    await page.locator('.inventory-count', { hasText: /of 1 observed device$/ }).waitFor();
    await page.reload();
    await page.locator('.inventory-count', { hasText: /of 1 observed device$/ }).waitFor();
    assert((await page.getByLabel('Search').inputValue()) === 'S1', 'the search did not come back from the address');
    assert((await rowCount(page)) === 1, 'the reloaded filters show more than S1');
    // The captures are years old: nothing was seen in the last 30 days.
    await page.getByLabel('Last seen').selectOption('30d');
    await page.getByText('No observed device matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear the filters' }).click();
    await page.locator('.inventory-count', { hasText: new RegExp('of ' + total + ' observed') }).waitFor();
    assert(!page.url().includes('?'), 'clearing the filters left them in the address: ' + page.url());

    // S1: identity with confidence, the evidence behind it, the registered device it matches.
    await page.getByRole('link', { name: 'S1', exact: true }).click();
    await expectHeading(page, 'S1');
    assert(page.url().endsWith('#/inventory/mac-0018ba98688f'), 'S1 page address: ' + page.url());
    const identity = page.locator('.identity-facts');
    await identity.getByText('WS-C3560-24TS').waitFor();
    await identity.getByText('12.2(44)SE').waitFor();
    await identity.getByText('Cisco', { exact: true }).waitFor();
    const evidence = page.locator('table.evidence-table');
    await evidence.getByRole('row', { name: /cdp\.platform.*cisco WS-C3560-24TS.*cdp-cisco-platform.*85%/ }).waitFor();
    await evidence.getByRole('row', { name: /lldp\.system_description.*lldp-cisco-ios/ }).waitFor();
    const regLink = page.locator('.registered-device a');
    assert((await regLink.getAttribute('href')) === '#/devices/' + registeredId, 'S1 does not link its registered device');
    await page.getByText('S1.cisco.com').first().waitFor();

    // The HL7 client: the patient-data finding, its peer, its flows.
    await page.goto(server.url + '/#/inventory?search=10.0.0.155');
    await page.locator('.inventory-count', { hasText: /of 1 observed device$/ }).waitFor();
    await page.getByRole('link', { name: '10.0.0.155' }).click();
    await expectHeading(page, '10.0.0.155');
    const finding = page.locator('table.findings-table tbody tr').first();
    await finding.getByText('Patient data in clear text').waitFor();
    await finding.getByText('High', { exact: true }).waitFor();
    await finding.getByText(/ADT\^A01 from SENDING_APPLICATION to RECEIVING_APPLICATION carried patient data segments PID/).waitFor();
    // What the sensor saw: the header facts, never a patient value; the maker from the OUI.
    const facts = page.locator('table.facts-table');
    await facts.getByRole('row', { name: /hl7\.sending_application.*SENDING_APPLICATION/ }).waitFor();
    await facts.getByRole('row', { name: /hl7\.message_type.*ADT\^A01/ }).waitFor();
    await page.locator('table.evidence-table').getByRole('row', { name: /oui.*VMware.*OUI registry/ }).waitFor();
    await page.locator('.traffic-window', { hasText: 'silent since' }).waitFor();
    const peer = page.locator('table.peers-table').getByRole('row', { name: /10\.0\.0\.126/ });
    await peer.getByText(/6661/).waitFor();
    const peerText = await peer.innerText();
    assert(/1\.0 kB/.test(peerText), 'the peer row does not show the 1,029 bytes of the HL7 flow: ' + peerText);
    const flow = page.locator('table.flows-table tbody tr').first();
    const flowText = await flow.innerText();
    assert(/10\.0\.0\.155/.test(flowText) && /10\.0\.0\.126/.test(flowText) && /6661/.test(flowText) && /hl7/.test(flowText) && /Out/.test(flowText), 'the flow row is not the HL7 connection: ' + flowText);
    assert(/\b9\b/.test(flowText) && /1\.0 kB/.test(flowText), 'the flow row lacks 9 packets and 1,029 bytes: ' + flowText);
    await page.getByRole('button', { name: '1h' }).click();
    await page.locator('table.flows-table').waitFor();
    await b.screenshotAs('inventory-device.png');

    // The peer's own page.
    await peer.getByRole('link', { name: '10.0.0.126' }).click();
    await expectHeading(page, '10.0.0.126');
    assert(page.url().endsWith('#/inventory/mac-0800271da6c2'), 'peer page address: ' + page.url());
    await page.locator('table.services-table').getByRole('row', { name: /6661.*tcp.*hl7/ }).waitFor();

    // Compare: the unregistered devices, and S1 registered but not seen.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory' }).click();
    await page.getByRole('link', { name: 'Compare with registered' }).click();
    await expectHeading(page, 'Inventory');
    await page.locator('table.unregistered-table').getByRole('row', { name: /10\.0\.0\.155/ }).waitFor();
    const unregistered = await page.locator('table.unregistered-table tbody tr').count();
    assert(unregistered === total - 1, 'expected every observed device but S1 unregistered, saw ' + unregistered + ' of ' + total);
    const notSeen = page.locator('table.not-seen-table').getByRole('row', { name: /S1/ });
    await notSeen.getByRole('link', { name: 'mac-0018ba98688f' }).waitFor();
    await page.getByRole('button', { name: '30 d' }).click();
    await page.getByRole('heading', { name: /not seen for 30 days/ }).waitFor();
    assert(page.url().endsWith('?days=30'), 'compare days not in the address: ' + page.url());
    await b.screenshot('compare');
    await notSeen.getByRole('link', { name: 'S1', exact: true }).click();
    await expectHeading(page, 'S1');
    assert(page.url().endsWith('#/devices/' + registeredId), 'the not-seen row does not open the registered device');
    return total + ' observed devices; ' + server.prepared;
  },
};
