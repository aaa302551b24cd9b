import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { askRoute } from '../../bots/glossary/ask';
import { GlossaryConfigSchema } from '../../bots/glossary/config';
import { startGlossary } from '../../bots/glossary/run';
import { createCommunityGlossary } from '../../bots/glossary/community';
import { runTermCommand } from '../../bots/glossary/term-commands';
import { startOpsServer, type OpsServer } from '../../bots/engine/http-server';
import { bundledPacks, tempStore } from './community-fixtures';

describe('readers asking for a term (POST /glossary/v1/ask)', () => {
  let h: ReturnType<typeof tempStore>;
  let ops: OpsServer;
  let day = 0;
  beforeEach(async () => {
    h = tempStore();
    day = Date.UTC(2026, 11, 7);
    const route = askRoute(h.store, { perClientPerDay: 3, perDay: 100 }, () => day);
    ops = await startOpsServer(0, new Registry(), async () => ({ ok: true }), '127.0.0.1', [route]);
  });
  afterEach(async () => {
    await ops.close();
    await h.cleanup();
  });

  const ask = (body: unknown) =>
    fetch(`http://127.0.0.1:${ops.port}/glossary/v1/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('takes a few words and a language, counts them on the wanted list, and limits each client per day', async () => {
    const ok = await ask({ text: 'Dyson sphere', lang: 'en' });
    expect(ok.status).toBe(202);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect((await ask({ text: 'dyson sphere', lang: 'en' })).status).toBe(202);
    expect((await ask({ text: '戴森球', lang: 'zh-Hans' })).status).toBe(202);
    const refused = await ask({ text: 'magnetar', lang: 'en' });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ ok: false, error: 'too many requests today; try again tomorrow' });
    day += 86_400_000; // the next UTC day
    expect((await ask({ text: 'magnetar', lang: 'en' })).status).toBe(202);
    expect((await h.store.glossaryWanted(10)).map((w) => `${w.term}:${w.asks}`)).toEqual([
      'Dyson sphere:2',
      'magnetar:1',
      '戴森球:1',
    ]);
    const g = createCommunityGlossary({
      store: h.store,
      bundled: bundledPacks().map((p) => p.pack),
      clock: { now: () => new Date() },
    });
    const mod = { platform: 'telegram', id: '1', name: 'Mo', role: 'moderator' as const };
    const [list] = await runTermCommand({ glossary: g }, mod, 'wanted');
    expect(list!.text).toContain('• Dyson sphere [en] — asked 2 times');
    expect((await runTermCommand({ glossary: g }, mod, 'wanted dismiss Dyson sphere'))[0]!.text).toContain(
      'off the wanted list',
    );
    expect((await runTermCommand({ glossary: g }, mod, 'wanted'))[0]!.text).not.toContain('Dyson');
  });

  it('refuses anything but a few plain words, and stores nothing', async () => {
    const bad: [unknown, RegExp][] = [
      [{ text: 'a b c d e f g', lang: 'en' }, /text: must be a few words/],
      [{ text: '<b>x</b>', lang: 'en' }, /text: must be plain words/],
      [{ text: 'https://example.org/page', lang: 'en' }, /text: must be plain words/],
      [{ text: 'x'.repeat(61), lang: 'en' }, /text: is too long/],
      [{ text: 'quasar', lang: 'english' }, /lang: /],
      [{ text: 'quasar', lang: 'en', url: 'https://news.example/a' }, /Unrecognized key/i],
      ['not json', /body: /],
      [{ text: 'x'.repeat(2000), lang: 'en' }, /body too large/],
    ];
    for (const [body, error] of bad) {
      const res = await ask(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(error);
    }
    expect(await h.store.glossaryWanted(10)).toEqual([]);
  });
});

describe('readers asking for a term, turned off (glossary.asks.enabled: false)', () => {
  it('takes no requests, and the published index names no ask path', async () => {
    const h = tempStore();
    const quiet = { info: () => {}, warn: () => {}, error: () => {} };
    const config = GlossaryConfigSchema.parse({ asks: { enabled: false }, wanted: { enabled: false } });
    const running = await startGlossary(h.store, config, quiet, { poll: false });
    const ops = await startOpsServer(0, new Registry(), async () => ({ ok: true }), '127.0.0.1', running!.routes);
    try {
      const base = `http://127.0.0.1:${ops.port}/glossary/v1/`;
      const index = (await (await fetch(`${base}index.json`)).json()) as Record<string, unknown>;
      expect(index).toMatchObject({ revision: 1 });
      expect(index).not.toHaveProperty('ask');
      const res = await fetch(`${base}ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'Dyson sphere', lang: 'en' }),
      });
      expect([404, 405]).toContain(res.status);
      expect(await h.store.glossaryWanted(10)).toEqual([]);
    } finally {
      await ops.close();
      await running!.live.close();
      await h.cleanup();
    }
  });
});
