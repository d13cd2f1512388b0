import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, errorFromResponse, errorText, isSessionGone, parseRetryAfter } from '../src/api.ts';

describe('errorFromResponse', () => {
  it('takes code and message from the contract shape', () => {
    const e = errorFromResponse(401, '{"error":{"code":"invalid_credentials","message":"invalid user name or password"}}');
    assert.ok(e instanceof ApiError);
    assert.equal(e.code, 'invalid_credentials');
    assert.equal(e.message, 'invalid user name or password');
    assert.equal(e.status, 401);
    assert.equal(e.retryAfterSeconds, null);
  });

  it('keeps Retry-After seconds of a 429', () => {
    const e = errorFromResponse(429, '{"error":{"code":"locked","message":"account locked for 15 minutes"}}', '900');
    assert.equal(e.code, 'locked');
    assert.equal(e.retryAfterSeconds, 900);
  });

  it('falls back by status when the body is not JSON', () => {
    const e = errorFromResponse(502, '<html>Bad gateway</html>');
    assert.equal(e.code, 'server_error');
    assert.equal(e.status, 502);
    assert.match(e.message, /server/i);
  });

  it('falls back by status when the body is empty or of another shape', () => {
    assert.equal(errorFromResponse(403, '').code, 'forbidden');
    assert.equal(errorFromResponse(401, '{"message":"x"}').code, 'unauthenticated');
    assert.equal(errorFromResponse(404, '{"error":"not found"}').code, 'not_found');
    assert.equal(errorFromResponse(429, 'null').code, 'rate_limited');
    assert.equal(errorFromResponse(418, '[]').code, 'http_418');
  });

  it('ignores empty or wrongly typed code and message fields', () => {
    const e = errorFromResponse(400, '{"error":{"code":"","message":42}}');
    assert.equal(e.code, 'bad_request');
    assert.ok(e.message.length > 0);
  });
});

describe('parseRetryAfter', () => {
  it('parses delta-seconds only', () => {
    assert.equal(parseRetryAfter('120'), 120);
    assert.equal(parseRetryAfter(' 5 '), 5);
    assert.equal(parseRetryAfter(null), null);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT'), null);
    assert.equal(parseRetryAfter('-1'), null);
  });
});

describe('isSessionGone', () => {
  it('is true only for 401 unauthenticated or session_expired', () => {
    assert.equal(isSessionGone(new ApiError('unauthenticated', 'm', 401)), true);
    assert.equal(isSessionGone(new ApiError('session_expired', 'm', 401)), true);
    assert.equal(isSessionGone(new ApiError('invalid_credentials', 'm', 401)), false);
    assert.equal(isSessionGone(new ApiError('invalid_code', 'm', 401)), false);
    assert.equal(isSessionGone(new ApiError('forbidden', 'm', 403)), false);
    assert.equal(isSessionGone(new Error('x')), false);
  });
});

describe('errorText', () => {
  it('turns a lowercase server reason into a sentence', () => {
    assert.equal(errorText(new ApiError('locked', 'account locked for 15 minutes', 429)), 'Account locked for 15 minutes.');
    assert.equal(errorText(new ApiError('weak_password', 'Too short.', 400)), 'Too short.');
  });
  it('handles plain errors and unknown values', () => {
    assert.equal(errorText(new Error('boom')), 'boom');
    assert.equal(errorText(42), 'Something went wrong.');
  });
});
