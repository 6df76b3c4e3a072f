import { GraphQLError, parse } from 'graphql';
import { describe, expect, test } from 'vitest';
import {
  bearerToken,
  connectionParamsToken,
  createAdminAuth,
  isCrossSite,
} from '../../../src/graphql/auth.ts';
import { createMaskError } from '../../../src/graphql/mask-error.ts';
import { useMutationThrottle } from '../../../src/graphql/plugins.ts';
import {
  RateLimitedError,
  RequestShapeError,
  UnauthenticatedError,
} from '../../../src/graphql/request-errors.ts';
import { createMutationThrottle } from '../../../src/graphql/throttle.ts';
import { silentLogger } from '../../../src/logger.ts';

describe('admin auth', () => {
  test('bearer tokens from headers and connectionParams', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc  ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
    expect(connectionParamsToken({ authorization: 'Bearer x' })).toBe('x');
    expect(connectionParamsToken({ Authorization: 'Bearer y' })).toBe('y');
    expect(connectionParamsToken({ token: 'z' })).toBe('z');
    expect(connectionParamsToken({ token: '' })).toBeNull();
    expect(connectionParamsToken({ token: 42 })).toBeNull();
    expect(connectionParamsToken(undefined)).toBeNull();
  });

  test('with a token: only that token is admin, whatever the address', () => {
    const auth = createAdminAuth({ adminToken: 's3cret' });
    expect(auth.identify('s3cret', '203.0.113.1')).toMatchObject({ isAdmin: true, key: 'admin' });
    expect(auth.identify('s3cret-', '127.0.0.1')).toMatchObject({
      isAdmin: false,
      key: 'address:127.0.0.1',
    });
    expect(auth.identify('', '127.0.0.1').isAdmin).toBe(false);
    expect(auth.identify(null, '127.0.0.1').refusal).toMatchObject({
      reason: 'TOKEN_REQUIRED',
      message: expect.stringContaining('Bearer'),
    });
    expect(auth.identify('s3cret-', '127.0.0.1').refusal.reason).toBe('TOKEN_INVALID');
  });

  test('a refusal raised as a top-level error carries its reason in extensions', () => {
    const auth = createAdminAuth({ adminToken: 's3cret' });
    const refusal = new UnauthenticatedError(auth.identify('nope', '127.0.0.1').refusal);
    const masked = createMaskError(silentLogger())(
      new GraphQLError(refusal.message, { originalError: refusal }),
      '',
    ) as GraphQLError;
    expect(masked.message).toBe('The admin token is not valid');
    expect(masked.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
  });

  test('without a token: loopback only', () => {
    const auth = createAdminAuth({ adminToken: undefined });
    expect(auth.tokenConfigured).toBe(false);
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect(auth.identify(null, address).isAdmin).toBe(true);
    }
    for (const address of ['127.0.0.2', '10.0.0.1', '::2', null]) {
      const caller = auth.identify('anything', address);
      expect(caller.isAdmin).toBe(false);
      // No token would help: clients should not ask for one.
      expect(caller.refusal.reason).toBe('NO_TOKEN_CONFIGURED');
    }
  });
});

describe('mutation throttle', () => {
  test('a full burst, then refusals with the wait until the next token', () => {
    const throttle = createMutationThrottle({ burst: 3, perMinute: 30 });
    throttle.take('a');
    throttle.take('a', 2);
    const refusal = (() => {
      try {
        throttle.take('a');
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect((refusal as RateLimitedError).retryAfter).toBe(2);
    expect((refusal as RateLimitedError).code).toBe('RATE_LIMITED');
    // Another caller has its own bucket.
    expect(() => throttle.take('b', 3)).not.toThrow();
  });

  test('more mutations than a burst in one request is a request shape error', () => {
    const throttle = createMutationThrottle({ burst: 2, perMinute: 60 });
    expect(() => throttle.take('a', 3)).toThrow(RequestShapeError);
    expect(() => throttle.take('a', 2)).not.toThrow();
  });

  // Yoga and websocket.ts refuse such a request before it executes; the plugin holds on its own.
  test('an operation name the document does not hold spends no token', () => {
    const throttle = createMutationThrottle({ burst: 1, perMinute: 1 });
    const plugin = useMutationThrottle(throttle, createMaskError(silentLogger()));
    const document = parse(
      'mutation A { disableAllJobs(input: { confirm: true }) { __typename } }',
    );
    const execute = (key: string, operationName: string) =>
      plugin.onExecute?.({
        args: { document, operationName, contextValue: { caller: { key } } },
        setResultAndStopExecution: () => {},
      } as never);
    execute('a', 'Nope');
    expect(() => throttle.take('a')).not.toThrow();
    execute('b', 'A');
    expect(() => throttle.take('b')).toThrow(RateLimitedError);
  });
});

describe('cross-site requests without a token', () => {
  test('another origin is not loopback; the same origin or none is', () => {
    const auth = createAdminAuth({ adminToken: undefined });
    expect(isCrossSite('http://evil.example', '127.0.0.1:8000')).toBe(true);
    expect(isCrossSite('null', '127.0.0.1:8000')).toBe(true);
    expect(isCrossSite('http://127.0.0.1:8000', '127.0.0.1:8000')).toBe(false);
    expect(isCrossSite(undefined, '127.0.0.1:8000')).toBe(false);
    expect(auth.identify(null, '127.0.0.1', 'cross-site')).toMatchObject({ isAdmin: false });
    expect(auth.identify(null, '127.0.0.1', null)).toMatchObject({ isAdmin: true });
  });

  test('a request relayed by a proxy is not loopback; the refusal says why', () => {
    const auth = createAdminAuth({ adminToken: undefined });
    expect(auth.identify(null, '127.0.0.1', 'proxy')).toMatchObject({
      isAdmin: false,
      refusal: { reason: 'NO_TOKEN_CONFIGURED', message: expect.stringMatching(/X-Forwarded-For/) },
    });
    // With a token, the token alone decides, whoever relayed the request.
    const withToken = createAdminAuth({ adminToken: 's3cret' });
    expect(withToken.identify('s3cret', '127.0.0.1', 'proxy').isAdmin).toBe(true);
  });

  test('a host name that is not loopback is not loopback, even when Origin agrees (DNS rebinding)', () => {
    const rebound = 'rebind.attacker.example:8000';
    expect(isCrossSite(`http://${rebound}`, rebound)).toBe(true);
    expect(isCrossSite(undefined, rebound)).toBe(true);
    expect(isCrossSite('http://localhost:8000', 'localhost:8000')).toBe(false);
    expect(isCrossSite(undefined, 'localhost:8000')).toBe(false);
    expect(isCrossSite(undefined, '[::1]:8000')).toBe(false);
    expect(isCrossSite('http://[::1]:8000', '[::1]:8000')).toBe(false);
    expect(isCrossSite(undefined, '127.0.0.1')).toBe(false);
    expect(isCrossSite(undefined, 'riftwatch.localhost:8000')).toBe(false);
    expect(isCrossSite(undefined, '127.0.0.1.attacker.example')).toBe(true);
  });
});
