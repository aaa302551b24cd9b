import { describe, expect, it } from 'vitest';
import { errorMessage } from './errors';

describe('errorMessage', () => {
  it('gives an Error its message, with its cause', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage(new Error('could not connect', { cause: new Error('ECONNREFUSED') }))).toBe(
      'could not connect: ECONNREFUSED',
    );
  });
  it('never gives undefined for a thrown non-Error', () => {
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage({ code: 42 })).toBe('{"code":42}');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(null)).toBe('null');
    expect(errorMessage(12n)).toBe('12');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorMessage(cyclic)).toBe('[object Object]');
  });
});
