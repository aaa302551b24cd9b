import { describe, expect, it } from 'vitest';
import { canManage, managedChannels, mayDo, roleFor, type Actor, type ChannelPlace } from './roles';

const grp1: ChannelPlace = { id: 'tg:-1', platform: 'telegram', place: '-1' };
const grp2: ChannelPlace = { id: 'tg:-2', platform: 'telegram', place: '-2' };
const guildA: ChannelPlace = { id: 'dc:10', platform: 'discord', place: 'A' };
const unknown: ChannelPlace = { id: 'dc:11', platform: 'discord', place: null };
const actor = (over: Partial<Actor>): Actor => ({
  platform: 'telegram',
  userId: '7',
  operator: false,
  places: [],
  ...over,
});

describe('roles', () => {
  it('gives operators every channel and every network action', () => {
    const op = actor({ operator: true });
    expect([grp1, grp2, guildA, unknown].map((c) => roleFor(op, c))).toEqual(Array(4).fill('operator'));
    expect(mayDo(op, 'removeSource')).toBe(true);
    expect(mayDo(op, 'import')).toBe(true);
  });

  it("gives a chat's admin that chat's channels only, and no network action", () => {
    const admin = actor({ places: ['-1'] });
    expect(roleFor(admin, grp1)).toBe('channel-moderator');
    expect(roleFor(admin, grp2)).toBe('member');
    expect(managedChannels(admin, [grp1, grp2, guildA])).toEqual([grp1]);
    expect(mayDo(admin, 'unsubscribe', grp1)).toBe(true);
    expect(mayDo(admin, 'queue', grp2)).toBe(false);
    expect(mayDo(admin, 'removeSource', grp1)).toBe(false);
    expect(mayDo(admin, 'pauseSource')).toBe(false);
  });

  it('never matches a place across platforms, an unknown place, or nobody', () => {
    expect(canManage(actor({ platform: 'discord', places: ['-1'] }), grp1)).toBe(false);
    expect(canManage(actor({ platform: 'discord', places: ['A'] }), guildA)).toBe(true);
    expect(canManage(actor({ platform: 'discord', places: ['A'] }), unknown)).toBe(false);
    expect(roleFor(actor({}))).toBe('member');
    expect(mayDo(actor({ places: ['-1'] }), 'subscribe')).toBe(false);
  });
});
