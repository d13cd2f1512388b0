// Scenario devices: (extra) add a device and an enrolment token in the page; the device enrols, reports and is charted; revoke shuts it out

import { assert, expectHeading, firstAdminSignIn } from '../lib.mjs';
import { enrolDevice, gatewayOf, gatewayPost } from '../gateway.mjs';

export default {
  name: 'devices',
  title: '(extra) add a device and an enrolment token in the page; the device enrols, reports and is charted; revoke shuts it out',
  async run(b, server) {
    const gateway = gatewayOf(server);
    await firstAdminSignIn(b, server, { shots: false });
    const { page } = b;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
    await expectHeading(page, 'Devices');
    await page.getByText('No devices yet.').waitFor();
    await page.getByLabel('Device name').fill('ICU pump 7');
    await page.getByLabel('Type', { exact: true }).selectOption('infusion_pump');
    assert((await page.getByLabel('Criticality').inputValue()) === 'life_sustaining', 'the criticality did not follow the type');
    await page.getByLabel('Manufacturer').fill('Baxter');
    await page.getByLabel('Model').fill('Sigma Spectrum');
    await page.getByLabel('Firmware').fill('8.0.1');
    await page.getByLabel('Location').fill('ICU bed 7');
    await page.getByRole('button', { name: 'Add device' }).click();
    await page.getByRole('heading', { name: 'Device ICU pump 7 added' }).waitFor();
    await page.getByRole('button', { name: 'Create enrolment token' }).click();
    const token = (await page.locator('.enrol-token-value').innerText()).trim();
    assert(/^vgle_[0-9a-f]{64}$/.test(token), 'enrolment token looks wrong: ' + token);
    const command = (await page.locator('.enrol-command').innerText()).trim();
    const parts = /^vigil-agent enroll --server (https:\/\/\S+) --token (\S+) --ca-fingerprint (\S+)$/.exec(command);
    assert(parts !== null, 'the page shows no enrol command line: ' + command);
    assert(parts[2] === token && parts[3] === gateway.fingerprint, 'the command\'s token or fingerprint is wrong: ' + command);
    const shown = new URL(parts[1]);
    const printed = new URL(gateway.url);
    const loopback = (h) => ['localhost', '127.0.0.1', '[::1]'].includes(h);
    if (shown.port === '0') {
      server.notes.push('gateway_listen in the token answer is the configured address with port 0, not the bound port: the command shows ' + parts[1]);
    } else {
      assert(shown.port === printed.port && (shown.hostname === printed.hostname || (loopback(shown.hostname) && loopback(printed.hostname))), 'the command\'s gateway ' + parts[1] + ' is not the one the server printed, ' + gateway.url);
    }
    await page.getByRole('button', { name: 'Copy command' }).waitFor();
    await b.screenshot('enrolment-token');

    // The device: enrol, heartbeat (firmware other than on record), telemetry, one event.
    const device = await enrolDevice(gateway, token);
    const now = Date.now();
    const at = (msAgo) => new Date(now - msAgo).toISOString();
    const heartbeat = { time: at(0), firmware_version: '8.0.2', agent_version: '0.1.0-e2e', uptime_seconds: 3600, state: 'in_use', spool_dropped: 0 };
    let r = await gatewayPost(gateway.url, '/v1/heartbeat', heartbeat, device.tls);
    assert(r.status === 200, 'heartbeat answered ' + (r.status ?? r.error?.message) + ' ' + (r.text ?? ''));
    const points = [];
    [[180_000, 12.5], [120_000, 31], [60_000, 22.25], [0, 12.5]].forEach(([ago, v]) => points.push({ name: 'cpu.percent', value: v, unit: '%', time: at(ago) }));
    points.push({ name: 'battery.percent', value: 87, unit: '%', time: at(30_000) }, { name: 'battery.percent', value: 86, unit: '%', time: at(0) });
    r = await gatewayPost(gateway.url, '/v1/telemetry', { points }, device.tls);
    assert(r.status === 200 && r.body?.accepted === points.length, 'telemetry answered ' + (r.status ?? r.error?.message) + ' ' + (r.text ?? ''));
    const events = [{ time: at(0), kind: 'security', severity: 'warning', message: 'service login failed for admin', attributes: { source: 'e2e' } }];
    r = await gatewayPost(gateway.url, '/v1/events', { events }, device.tls);
    assert(r.status === 200, 'events answered ' + (r.status ?? r.error?.message) + ' ' + (r.text ?? ''));

    // The inventory, then the device page.
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Refresh' }).click();
    const row = page.getByRole('row', { name: /ICU pump 7/ });
    await row.getByText('Valid').waitFor();
    await row.getByText('0.1.0-e2e').waitFor();
    await b.screenshot('devices');
    await row.getByRole('link', { name: 'ICU pump 7' }).click();
    await expectHeading(page, 'ICU pump 7');
    assert(page.url().endsWith('#/devices/' + device.deviceId), 'device page address: ' + page.url());
    await page.locator('.heartbeat-agent', { hasText: '0.1.0-e2e' }).waitFor();
    await page.locator('.heartbeat .mismatch').first().waitFor();
    await page.getByRole('cell', { name: 'service login failed for admin' }).waitFor();
    const chart = page.locator('figure.chart[data-metric="cpu.percent"] .chart-box canvas');
    await chart.waitFor();
    await page.locator('figure.chart[data-metric="battery.percent"] .chart-box canvas').waitFor();
    const cpuSummary = (pattern) =>
      page.waitForFunction((re) => new RegExp(re).test(document.querySelector('figure.chart[data-metric="cpu.percent"] .chart-summary')?.textContent?.trim() ?? ''), pattern);
    // The last hour: every point as sent.
    await page.getByRole('button', { name: '1h' }).click();
    await cpuSummary('max 31% · 4 points$');
    // 24 hours: 5-minute roll-ups; the four points fall into one or two windows, the band keeps the maximum.
    await page.getByRole('button', { name: '24h' }).click();
    await cpuSummary('max 31% · [12] 5-minute means?$');
    await chart.waitFor();
    await page.getByRole('button', { name: '1h' }).click();
    await cpuSummary('4 points$');
    await chart.waitFor();
    await b.screenshot('device');

    // Revoke through the page; the device's next request is refused.
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').selectOption('key_compromise');
    await b.screenshot('revoke-dialog');
    await dialog.getByRole('button', { name: 'Revoke certificates' }).click();
    await page.locator('.certificate-status', { hasText: 'Revoked' }).waitFor();
    await page.getByText(/Revoked certificate/).waitFor();
    await b.screenshot('revoked');
    r = await gatewayPost(gateway.url, '/v1/heartbeat', heartbeat, device.tls);
    assert(r.error || r.status >= 400, 'the revoked device was answered ' + r.status + ' ' + r.text);
    return 'revoked device refused: ' + (r.error ? r.error.code ?? r.error.message : 'HTTP ' + r.status);
  },
};
