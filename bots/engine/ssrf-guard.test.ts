import { describe, expect, it } from 'vitest';
import { createGuardedLookup, isPrivateAddress } from './ssrf-guard';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.9.9.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'fc12::3',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    'ff02::1',
  ])('blocks %s', (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '192.169.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '2001:db8::1',
  ])('allows %s', (ip) => expect(isPrivateAddress(ip)).toBe(false));
  it('refuses what is not an address at all', () => expect(isPrivateAddress('example.org')).toBe(true));
});

describe('createGuardedLookup', () => {
  const lookup = (hostname: string, isBlocked: (ip: string) => boolean, all: boolean) =>
    new Promise<{ err: (Error & { code?: string }) | null; address: unknown }>((resolve) =>
      createGuardedLookup(isBlocked)(hostname, { all }, (err, address) => resolve({ err, address })),
    );

  it('fails a name that resolves to a blocked address at connect time', async () => {
    const { err } = await lookup('localhost', isPrivateAddress, false);
    expect(err?.code).toBe('EBLOCKED');
    expect(err?.message).toMatch(/localhost resolves to .*SCIPOP_ALLOW_PRIVATE_NETWORKS=1/);
  });

  it('answers in the shape asked for when allowed', async () => {
    const single = await lookup('localhost', () => false, false);
    expect(single.err).toBeNull();
    expect(typeof single.address).toBe('string');
    const many = await lookup('localhost', () => false, true);
    expect(Array.isArray(many.address)).toBe(true);
  });
});
