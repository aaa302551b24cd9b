import { appendFileSync, rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseEnv } from '../../bots/config/env';
import { loadGlossarySigner } from '../../bots/glossary/signing';
import { runBots, type RunningBots } from '../../bots/main';
import type { FakeTelegram } from '../fakes/telegram/server';
import { circumbinary, CIRCUMBINARY_ADD } from '../glossary/community-fixtures';
import { startFeedServer, type FeedServer } from '../support/feed-server';
import { GROUP, startTelegramWorld, telegramEnv, writeTelegramConfig } from '../telegram/harness';
import { highlightedTexts, hoverTerm, useExtensionBrowser, waitForScan, type ExtensionBrowser } from './harness';

// The whole chain with real parts: an editor approves a new term in a (fake) Telegram group, the
// running network publishes it signed on its /healthz server, and the extension in real Chromium,
// subscribed to that network, picks it up on its next check and explains the term on a page.
vi.setConfig({ testTimeout: 180_000 });

let browser: ExtensionBrowser;
const pages: Page[] = [];
useExtensionBrowser(pages, (b) => {
  browser = b;
});

let tg: FakeTelegram;
let bots: RunningBots;
let site: FeedServer;
let dir: string;
const eddie = { id: 55, is_bot: false, first_name: 'Eddie', username: 'eddie' }; // group admin and a configured editor

beforeAll(async () => {
  const world = await startTelegramWorld();
  tg = world.tg;
  dir = world.dir;
  tg.setMember(GROUP, eddie.id, 'administrator');
  const config = writeTelegramConfig(dir, { approval: 'none' });
  appendFileSync(config, `glossary:\n  name: Kepler Club\n  editors: ["telegram:${eddie.id}"]\n  refreshSeconds: 1\n`);
  bots = await runBots({ config, env: parseEnv({ ...telegramEnv(tg, world.db), SCIPOP_HTTP_PORT: '0' }) });
  site = await startFeedServer();
  site.route('/article.html', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>News</title></head><body><main>
<p>Astronomers found a circumbinary planet with the Kepler data, a world with two suns.</p></main></body></html>`);
  });
});
afterAll(async () => {
  await bots?.stop();
  await tg?.close();
  await site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const said = (count: number, match: RegExp) =>
  tg.waitFor(
    () =>
      tg
        .messages(GROUP)
        .slice(count)
        .find((m) => match.test(m.text)),
    60_000,
  );

describe('the living glossary from the chat to the reader’s page', () => {
  it('an approval in Telegram reaches the subscribed extension on its next check, named as the community’s', async () => {
    const index = `http://127.0.0.1:${bots.ops!.port}/glossary/v1/index.json`;
    const key = (await loadGlossarySigner(bots.store)).publicKey;
    const options = await browser.newPage(
      `chrome-extension://${browser.extensionId}/options.html#subscribe=${encodeURIComponent(index)}&key=${encodeURIComponent(key)}`,
    );
    pages.push(options);
    await expect.poll(() => options.locator('#subscribe-status').innerText()).toContain('Ready to add');
    await options.getByRole('button', { name: 'Subscribe', exact: true }).click();
    await expect.poll(() => options.locator('#subscribe-status').innerText()).toBe('Subscribed to Kepler Club.');
    await expect.poll(() => options.locator('#subscriptions li').innerText()).toContain('revision 1');

    const before = await browser.newPage(`${site.url('/article.html')}`);
    pages.push(before);
    await waitForScan(before);
    expect(await highlightedTexts(before)).not.toContain('circumbinary planet');

    // An editor writes and approves the term in the group.
    let n = tg.messages(GROUP).length;
    tg.say(GROUP, eddie, CIRCUMBINARY_ADD);
    await said(n, /^Saved as a draft/);
    n = tg.messages(GROUP).length;
    tg.say(GROUP, eddie, '/term review');
    const card = await said(n, /^Draft 1 of “circumbinary planet” \[en\]/);
    tg.press(GROUP, eddie, card.message_id, card.reply_markup!.inline_keyboard![0]![0]!.callback_data!);
    // The card says who decided.
    await tg.waitFor(
      () =>
        tg
          .messages(GROUP)
          .find((m) => m.message_id === card.message_id)
          ?.text.endsWith('✅ Approved by @eddie: “circumbinary planet” [en] — published revision 2'),
      60_000,
    );

    // The extension's next check (the button; alarms do the same in the background).
    await options.reload();
    await options.getByRole('button', { name: /^Check now/ }).click();
    await expect
      .poll(() => options.locator('#subscriptions li').innerText(), { timeout: 30_000 })
      .toContain('revision 2');

    const page = await browser.newPage(`${site.url('/article.html')}`);
    pages.push(page);
    await waitForScan(page);
    expect(await highlightedTexts(page)).toContain('circumbinary planet');
    const tip = await hoverTerm(page, 'circumbinary planet');
    expect(tip).toContain(circumbinary.short);
    expect(tip).toContain('From Kepler Club');
  });
});
