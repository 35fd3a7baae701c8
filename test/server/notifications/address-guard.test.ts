import { configFromEnv } from '../../../src/server/config';
import {
  allowedPrivate,
  guardedLookup,
  RefusedAddress,
  refusedAddress,
} from '../../../src/server/notifications/address-guard';

/** The SSRF guard's ranges, its allowance setting, and the lookup that checks the address a socket connects to. */
const none = allowedPrivate([]);

describe('notify_url address guard', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '0.0.0.0',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'fe80::1',
    'fd00:ec2::254',
    'fc00::1',
    'ff02::1',
    '64:ff9b::7f00:1',
  ])('refuses %s', (address) => {
    expect(refusedAddress(address, none)).toMatch(/loopback, link-local, private or reserved/);
  });

  it.each(['93.184.216.34', '172.32.0.1', '192.169.0.1', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'lets %s through',
    (address) => {
      expect(refusedAddress(address, none)).toBeUndefined();
    },
  );

  it('lets through what the admin allows, and only that', () => {
    const allowed = allowedPrivate(['127.0.0.1', '10.1.0.0/16', '::1']);
    expect(refusedAddress('127.0.0.1', allowed)).toBeUndefined();
    expect(refusedAddress('::ffff:127.0.0.1', allowed)).toBeUndefined();
    expect(refusedAddress('::1', allowed)).toBeUndefined();
    expect(refusedAddress('10.1.200.3', allowed)).toBeUndefined();
    expect(refusedAddress('127.0.0.2', allowed)).toBeDefined();
    expect(refusedAddress('10.2.0.1', allowed)).toBeDefined();
    expect(refusedAddress('169.254.169.254', allowPrivateAll())).toBeUndefined();
  });

  it('refuses a bad NOTIFY_ALLOW_PRIVATE_HOSTS at start', () => {
    expect(() => configFromEnv({ NOTIFY_ALLOW_PRIVATE_HOSTS: 'intranet' })).toThrow(
      /NOTIFY_ALLOW_PRIVATE_HOSTS/,
    );
    expect(() => configFromEnv({ NOTIFY_ALLOW_PRIVATE_HOSTS: '10.0.0.0/40' })).toThrow(/prefix/);
    expect(
      configFromEnv({ NOTIFY_ALLOW_PRIVATE_HOSTS: '127.0.0.1, 10.0.0.0/8' }).notifications.allowPrivateHosts,
    ).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(configFromEnv({}).notifications.allowPrivateHosts).toEqual([]);
  });

  it('refuses at connection time a host name that resolves to a private address', async () => {
    const lookup = guardedLookup(none);
    const error = await new Promise<unknown>((resolve) => lookup('localhost', {}, (e) => resolve(e)));
    expect(error).toBeInstanceOf(RefusedAddress);
    const allowed = guardedLookup(allowedPrivate(['127.0.0.1', '::1']));
    const answer = await new Promise<unknown>((resolve) =>
      allowed('localhost', { all: true }, (e, addresses) => resolve(e ?? addresses)),
    );
    expect(answer).toEqual(
      expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]),
    );
  });
});

function allowPrivateAll() {
  return allowedPrivate(['*']);
}
