// A device played from node for the end-to-end tests: the gateway address from the serve output,
// key and CSR by openssl, enrolment, then the gateway's JSON over (mutual) TLS.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assert } from './lib.mjs';

/** The gateway address and device CA fingerprint from the serve output ("  devices:  gateway on URL ...; device CA fingerprint" and the next line). */
export function gatewayOf(server) {
  const lines = server.log.map((l) => l.replace(/^std(out|err): /, ''));
  const i = lines.findIndex((l) => /devices:\s+gateway on https:\/\//.test(l));
  assert(i >= 0 && i + 1 < lines.length, 'the serve output has no "devices: gateway on" line');
  const url = /gateway on (https:\/\/\S+)/.exec(lines[i])[1].replace(/[.,;)\]]+$/, '');
  const fingerprint = lines[i + 1].trim();
  assert(/^[0-9a-f]{64}$/.test(fingerprint), 'no SHA-256 fingerprint after the gateway line: ' + lines[i + 1]);
  return { url, fingerprint };
}

/**
 * First contact: the root certificate the gateway presents, as PEM, once its SHA-256 fingerprint
 * equals `pin` (what the agent's --ca-fingerprint does). Nothing is sent on this connection.
 */
export function pinnedRoot(base, pin) {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), rejectUnauthorized: false, }, () => {
      const seen = [];
      let root = null;
      for (let c = socket.getPeerCertificate(true); c && c.fingerprint256; c = c.issuerCertificate === c ? null : c.issuerCertificate) {
        const fp = c.fingerprint256.replace(/:/g, '').toLowerCase();
        seen.push(fp);
        if (fp === pin) root = c.raw;
      }
      socket.end();
      if (root === null) reject(new Error('the gateway presented no certificate with the pinned fingerprint (saw ' + seen.join(', ') + ')'));
      else resolve('-----BEGIN CERTIFICATE-----\n' + root.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n?$/, '\n') + '-----END CERTIFICATE-----\n');
    });
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('timed out')));
  });
}

/**
 * POSTs JSON to the gateway on a fresh connection, verified against `tls.ca` (the pinned root,
 * then the device CA chain); with `tls.key` and `tls.cert` it is mutual TLS. Resolves
 * { status, body, text }, or { error } when the connection or handshake fails.
 */
export function gatewayPost(base, pathname, body, tlsOptions) {
  const url = new URL(pathname, base);
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = https.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
        ...tlsOptions,
        // The gateway's name is whatever [gateway] server_names says; the chain is what is checked here.
        checkServerIdentity: () => undefined,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let json = null;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode, body: json, text });
        });
      },
    );
    req.on('error', (error) => resolve({ error }));
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.end(payload);
  });
}

/** Enrols with `token` (key and CSR by openssl) and returns the mutual-TLS material. */
export async function enrolDevice(gateway, token) {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-e2e-device-'));
  try {
    const keyFile = path.join(dir, 'device.key');
    const csrFile = path.join(dir, 'device.csr');
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', csrFile, '-subj', '/CN=x'], { stdio: 'ignore' });
    const csr = readFileSync(csrFile, 'utf8');
    const root = await pinnedRoot(gateway.url, gateway.fingerprint);
    const answer = await gatewayPost(gateway.url, '/v1/enroll', { token, csr }, { ca: root });
    assert(!answer.error, 'enrol: ' + answer.error?.message);
    assert(answer.status === 200 || answer.status === 201, 'enrol answered ' + answer.status + ': ' + answer.text);
    const { device_id: deviceId, certificate, ca_chain: caChain } = answer.body ?? {};
    assert(typeof certificate === 'string' && certificate.includes('BEGIN CERTIFICATE'), 'enrol answer has no certificate: ' + answer.text);
    return { deviceId, tls: { key: readFileSync(keyFile, 'utf8'), cert: certificate, ca: caChain } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
