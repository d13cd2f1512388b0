import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  base64Utf8,
  describeDuration,
  expiryPlan,
  formatCountdown,
  formatDateTime,
  groupKey,
  nextCheckDelayMs,
  normaliseTotp,
  remainingMs,
  roleLabel,
  svgDataUri,
  tokenState,
  userBadges,
  WARNING_SECONDS,
} from '../src/format.ts';

describe('groupKey', () => {
  it('groups a base32 key in fours', () => {
    assert.equal(groupKey('JBSWY3DPEHPK3PXP'), 'JBSW Y3DP EHPK 3PXP');
    assert.equal(groupKey('JBSWY3DPEHPK3PXPAB'), 'JBSW Y3DP EHPK 3PXP AB');
  });
  it('normalises spaces, dashes and case', () => {
    assert.equal(groupKey(' jbsw y3dp-ehpk '), 'JBSW Y3DP EHPK');
  });
  it('handles short and empty keys', () => {
    assert.equal(groupKey('ABC'), 'ABC');
    assert.equal(groupKey(''), '');
  });
  it('round-trips: removing the spaces gives the key back', () => {
    const key = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    assert.equal(groupKey(key).replace(/ /g, ''), key);
  });
});

describe('formatCountdown', () => {
  it('formats minutes and seconds', () => {
    assert.equal(formatCountdown(119), '1:59');
    assert.equal(formatCountdown(120), '2:00');
    assert.equal(formatCountdown(8), '0:08');
    assert.equal(formatCountdown(0), '0:00');
  });
  it('rounds fractions up and clamps negatives', () => {
    assert.equal(formatCountdown(7.2), '0:08');
    assert.equal(formatCountdown(-3), '0:00');
    assert.equal(formatCountdown(Number.NaN), '0:00');
  });
  it('shows hours from one hour', () => {
    assert.equal(formatCountdown(3600), '1:00:00');
    assert.equal(formatCountdown(3723), '1:02:03');
  });
});

describe('describeDuration', () => {
  it('says it in words', () => {
    assert.equal(describeDuration(65), '1 minute 5 seconds');
    assert.equal(describeDuration(120), '2 minutes');
    assert.equal(describeDuration(1), '1 second');
    assert.equal(describeDuration(0), '0 seconds');
  });
});

describe('svgDataUri', () => {
  it('base64-encodes UTF-8 safely', () => {
    assert.equal(base64Utf8('abc'), 'YWJj');
    assert.equal(base64Utf8('é'), 'w6k=');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><title>Vigil — admin</title></svg>';
    const uri = svgDataUri(svg);
    assert.ok(uri.startsWith('data:image/svg+xml;base64,'));
    const decoded = Buffer.from(uri.slice('data:image/svg+xml;base64,'.length), 'base64').toString('utf8');
    assert.equal(decoded, svg);
  });
  it('copes with a large QR code', () => {
    const svg = '<svg>' + '<rect x="1" y="1" width="1" height="1"/>'.repeat(5000) + '</svg>';
    const b64 = svgDataUri(svg).split(',')[1]!;
    assert.equal(Buffer.from(b64, 'base64').toString('utf8'), svg);
  });
});

describe('session expiry', () => {
  it('measures against the server clock', () => {
    assert.equal(remainingMs('2026-01-01T00:02:00Z', '2026-01-01T00:00:00Z'), 120_000);
    assert.equal(remainingMs('2026-01-01T00:00:08+00:00', '2026-01-01T00:00:00.500Z'), 7_500);
    assert.equal(remainingMs('garbage', '2026-01-01T00:00:00Z'), null);
    assert.equal(remainingMs(null, '2026-01-01T00:00:00Z'), null);
  });
  it('takes the earlier of idle and absolute expiry', () => {
    assert.deepEqual(
      expiryPlan({ idle_expires_at: '2026-01-01T00:15:00Z', absolute_expires_at: '2026-01-01T08:00:00Z', now: '2026-01-01T00:00:00Z' }),
      { remainingMs: 900_000, idleBound: true },
    );
    assert.deepEqual(
      expiryPlan({ idle_expires_at: '2026-01-01T00:15:00Z', absolute_expires_at: '2026-01-01T00:05:00Z', now: '2026-01-01T00:00:00Z' }),
      { remainingMs: 300_000, idleBound: false },
    );
    assert.equal(expiryPlan({ idle_expires_at: '', absolute_expires_at: '', now: '' }), null);
  });
  it('asks again in time to show the warning', () => {
    assert.equal(WARNING_SECONDS, 120);
    // 15 minutes left: at most a minute later.
    assert.equal(nextCheckDelayMs(900_000), 60_000);
    // 2:10 left: 5 s before the warning threshold.
    assert.equal(nextCheckDelayMs(130_000), 5_000);
    // Already inside the warning window: every 30 s.
    assert.equal(nextCheckDelayMs(8_000), 30_000);
  });
});

describe('formatDateTime', () => {
  it('formats RFC 3339 in local time and handles null', () => {
    const s = formatDateTime('2026-11-01T14:03:00Z');
    assert.match(s, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    assert.equal(formatDateTime(null), '—');
    assert.equal(formatDateTime('not a date'), 'not a date');
  });
});

describe('labels and badges', () => {
  const base = { disabled: false, emergency: false, mfa_enrolled: true, must_change_password: false, locked_until: null };
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('names roles', () => {
    assert.equal(roleLabel('security_analyst'), 'Security analyst');
    assert.equal(roleLabel('admin'), 'Admin');
  });
  it('shows Active for a healthy account', () => {
    assert.deepEqual(userBadges(base, now), [{ label: 'Active', tone: 'ok' }]);
  });
  it('shows every state that applies', () => {
    const labels = userBadges(
      { disabled: true, emergency: true, mfa_enrolled: false, must_change_password: true, locked_until: '2026-01-01T00:10:00Z' },
      now,
    ).map((b) => b.label);
    assert.deepEqual(labels, ['Disabled', 'Locked', 'Emergency access', 'Must change password', 'MFA not enrolled']);
  });
  it('ignores a lock that has passed', () => {
    assert.deepEqual(userBadges({ ...base, locked_until: '2025-12-31T23:00:00Z' }, now), [{ label: 'Active', tone: 'ok' }]);
  });
  it('gives token states', () => {
    assert.equal(tokenState({ expires_at: '2026-02-01T00:00:00Z', revoked_at: null }, now).label, 'Active');
    assert.equal(tokenState({ expires_at: '2025-02-01T00:00:00Z', revoked_at: null }, now).label, 'Expired');
    assert.equal(tokenState({ expires_at: '2026-02-01T00:00:00Z', revoked_at: '2025-12-01T00:00:00Z' }, now).label, 'Revoked');
  });
  it('keeps only digits of a typed TOTP code', () => {
    assert.equal(normaliseTotp(' 123 456 '), '123456');
  });
});
