import { describe, expect, it } from 'vitest';
import type { DeliveryLogEntry } from '../store/delivery-log-types';
import type { Channel } from '../store/types';
import { logBody, logFilterOf, messageLink } from './log';

const channel = (id: string, sink: string, target: string): Channel => ({
  id,
  sink,
  target,
  title: `Title ${id}`,
  rules: {},
});
const tg = channel('tg', 'telegram', '-1001234567890');
const pub = channel('pub', 'telegram', '@sciencenews');
const dc = channel('dc', 'discord', '998877');

const entry = (over: Partial<DeliveryLogEntry>): DeliveryLogEntry => ({
  id: 'd1',
  itemId: 'i1',
  sourceId: 's1',
  channelId: 'tg',
  title: 'A <b>title</b>',
  link: 'https://news.example/a',
  outcome: 'sent',
  reason: null,
  note: null,
  decidedBy: null,
  remoteId: null,
  attempts: 1,
  createdAt: Date.UTC(2026, 11, 7, 12),
  sentAt: Date.UTC(2026, 11, 7, 12, 5),
  ...over,
});

const render = async (entries: DeliveryLogEntry[]) =>
  String(
    await logBody({
      entries,
      more: false,
      filter: logFilterOf(() => undefined),
      channels: [],
      titles: new Map([tg, pub, dc].map((c) => [c.id, c])),
      sources: new Map([['s1', 'Feed & co']]),
    }),
  );

describe('the delivery log page', () => {
  it('links a sent message where Telegram names it, and gives Discord’s ids', () => {
    expect(messageLink(tg, '-1001234567890:55')).toBe('https://t.me/c/1234567890/55');
    expect(messageLink(pub, '-1009:56')).toBe('https://t.me/sciencenews/56');
    expect(messageLink(channel('g', 'telegram', '-4242'), '-4242:7')).toBeNull(); // a basic group has no links
    expect(messageLink(dc, '998877:1234')).toBeNull();
    expect(messageLink(tg, null)).toBeNull();
  });

  it('says why, for every outcome, with feed and platform text escaped', async () => {
    const html = await render([
      entry({ id: 'a', remoteId: '-1001234567890:55', decidedBy: 'telegram:42' }),
      entry({ id: 'b', channelId: 'dc', remoteId: '998877:1234', link: 'javascript:alert(1)' }),
      entry({
        id: 'c',
        outcome: 'pending',
        reason: 'in doubt: the previous run stopped between sending and recording',
        sentAt: null,
      }),
      entry({
        id: 'd',
        outcome: 'pending',
        reason: '429: Too Many Requests',
        attempts: 2,
        note: "over the channel's cap of 5 post(s) a day",
        sentAt: null,
      }),
      entry({ id: 'e', outcome: 'failed', reason: 'Forbidden: <bot> was kicked', sentAt: null }),
      entry({ id: 'f', outcome: 'filtered', reason: 'excluded keyword "crypto"', sentAt: null }),
      entry({ id: 'g', outcome: 'rejected', decidedBy: 'dashboard:telegram:42', sentAt: null }),
    ]);
    expect(html).toContain('Lines 1 to 7.');
    expect(html).toContain('A &lt;b&gt;title&lt;/b&gt;');
    expect(html).toContain('Feed &amp; co');
    expect(html).toContain('(approved by telegram:42): <a href="https://t.me/c/1234567890/55"');
    expect(html).toContain('<small>(message 998877:1234)</small>');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('In doubt after a crash; sent again: in doubt: the previous run stopped');
    expect(html).toContain('Retrying after 2 attempt(s): 429: Too Many Requests');
    expect(html).toContain('Put off: over the channel&#39;s cap of 5 post(s) a day');
    expect(html).toContain('<strong>Failed</strong>: Forbidden: &lt;bot&gt; was kicked');
    expect(html).toContain('<strong>Filtered out</strong>: excluded keyword &quot;crypto&quot;');
    expect(html).toContain('<strong>Rejected</strong> by dashboard:telegram:42');
  });

  it('reads its filters leniently', () => {
    const q = (params: Record<string, string>) => logFilterOf((name) => params[name]);
    expect(q({ outcome: 'filtered', page: '3', q: '  mars ' })).toEqual({
      q: 'mars',
      outcome: 'filtered',
      channel: '',
      page: 3,
    });
    expect(q({ outcome: 'DROP TABLE', page: '-1' })).toEqual({ q: '', outcome: '', channel: '', page: 1 });
  });
});
