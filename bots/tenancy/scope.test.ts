import { describe, expect, it } from 'vitest';
import type { Channel } from '../store/types';
import { refusalOf, type Scope } from './scope';

const channel = (id: string, target: string): Channel => ({
  id,
  sink: 'telegram',
  target,
  title: id,
  rules: {},
});

/** A member in the place `-100`, where the destination `tg-a` posts; `places` says what they moderate. */
const scopeOf = (operator: boolean, places: string[]): Scope => {
  const here = [{ id: 'tg-a', platform: 'telegram', place: '-100', channel: channel('tg-a', '-100') }];
  return { actor: { platform: 'telegram', userId: '7', operator, places }, here, all: here };
};

describe('refusalOf: who may use a command of each access', () => {
  it('lets everyone use an everyone command, and operators use anything', () => {
    expect(refusalOf(scopeOf(false, []), 'everyone')).toBeNull();
    expect(refusalOf(scopeOf(true, []), 'moderator')).toBeNull();
    expect(refusalOf(scopeOf(true, []), 'operator')).toBeNull();
  });

  it('lets the place’s moderator moderate but not do an operator’s work', () => {
    expect(refusalOf(scopeOf(false, ['-100']), 'moderator')).toBeNull();
    expect(refusalOf(scopeOf(false, ['-100']), 'operator')).toBe('operator');
  });

  it('refuses a member who moderates nothing here, unless the platform knows they do', () => {
    expect(refusalOf(scopeOf(false, ['-200']), 'moderator')).toBe('moderator');
    expect(refusalOf(scopeOf(false, []), 'moderator')).toBe('moderator');
    expect(refusalOf(scopeOf(false, []), 'moderator', true)).toBeNull();
  });
});
