import { Api, GrammyError, InputFile } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTelegramHtml } from './html';
import { startFakeTelegram, type FakeTelegram } from './server';

describe('the fake HTML parser is as strict as Telegram', () => {
  it('parses the supported tags and entities into text and entities', () => {
    const r = parseTelegramHtml('<b>Bold</b> &amp; <a href="https://x.org/?a=1&amp;b=2">link</a> &lt;3 &#128300; AT&T');
    expect(r).toEqual({
      ok: true,
      text: 'Bold & link <3 🔬 AT&T',
      entities: [
        { type: 'bold', offset: 0, length: 4 },
        { type: 'text_link', offset: 7, length: 4, url: 'https://x.org/?a=1&b=2' },
      ],
    });
  });

  it.each([
    ['a < b', 'Unsupported start tag "" at byte offset 2'],
    ['<br>', 'Unsupported start tag "br" at byte offset 0'],
    ['🏟 🏟&lt;<abacaba', 'Unclosed start tag at byte offset 13'],
    ['x <b>bold', 'Can\'t find end tag corresponding to start tag "b"'],
    ['x</b>', 'Unexpected end tag at byte offset 1'],
    ['<b>x</i>', 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
    ['<a href=x,y>z</a>', 'Unexpected end of name token at byte offset 9'],
    ['<span>x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
    ['<script>alert(1)</script>', 'Unsupported start tag "script" at byte offset 0'],
  ])('%s → %s', (html, error) => {
    expect(parseTelegramHtml(html)).toEqual({ ok: false, error });
  });
});

describe('the fake Bot API answers like the real one', () => {
  let tg: FakeTelegram;
  let api: Api;
  beforeEach(async () => {
    tg = await startFakeTelegram({
      limits: {
        global: { count: 30, windowMs: 1000 },
        group: { count: 3, windowMs: 60_000 },
        chat: { count: 5, windowMs: 1000 },
      },
    });
    api = new Api(tg.token, { apiRoot: tg.apiRoot });
    tg.addChat({ id: -100200, type: 'supergroup', title: 'Science', is_forum: true, topics: [7] });
    tg.addChat({ id: -300, type: 'group', title: 'Small group' });
  });
  afterEach(() => tg.close());

  const error = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(GrammyError);
    return e as GrammyError;
  };

  it("sends HTML and rejects a badly escaped message with Telegram's text", async () => {
    const sent = await api.sendMessage(-100200, '<b>Hi</b> there', { parse_mode: 'HTML', message_thread_id: 7 });
    expect(sent).toMatchObject({
      message_id: 1,
      text: 'Hi there',
      entities: [{ type: 'bold', offset: 0, length: 2 }],
      message_thread_id: 7,
    });
    const e = await error(api.sendMessage(-100200, 'x < y', { parse_mode: 'HTML' }));
    expect(e.error_code).toBe(400);
    expect(e.description).toBe('Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2');
    expect((await error(api.sendMessage(-100200, 'x'.repeat(4097)))).description).toBe(
      'Bad Request: message is too long',
    );
    expect((await error(api.sendMessage(-100200, 'x', { message_thread_id: 99 }))).description).toBe(
      'Bad Request: message thread not found',
    );
    expect(
      (await error(api.sendPhoto(-100200, 'https://img.example/a.jpg', { caption: 'c'.repeat(1025) }))).description,
    ).toBe('Bad Request: message caption is too long');
    expect((await error(api.sendPhoto(-100200, 'https://img.example/page.html'))).description).toBe(
      'Bad Request: wrong type of the web page content',
    );
  });

  it('enforces the group limit with 429 and retry_after', async () => {
    for (let i = 0; i < 3; i++) await api.sendMessage(-300, `m${i}`);
    const e = await error(api.sendMessage(-300, 'one too many'));
    expect(e.error_code).toBe(429);
    expect(e.description).toMatch(/^Too Many Requests: retry after \d+$/);
    expect(e.parameters.retry_after).toBeGreaterThanOrEqual(59);
    expect(tg.tooManyRequests()).toBe(1);
  });

  it('answers 403 when the bot was kicked and 400 with migrate_to_chat_id after an upgrade', async () => {
    const admin = tg.user(1);
    tg.setBotStatus(-300, 'kicked', admin);
    const kicked = await error(api.sendMessage(-300, 'hello'));
    expect([kicked.error_code, kicked.description]).toEqual([403, 'Forbidden: bot was kicked from the group chat']);
    tg.setBotStatus(-300, 'member', admin);
    tg.migrate(-300, -100300);
    const moved = await error(api.sendMessage(-300, 'hello'));
    expect(moved.description).toBe('Bad Request: group chat was upgraded to a supergroup chat');
    expect(moved.parameters.migrate_to_chat_id).toBe(-100300);
    await api.sendMessage(-100300, 'hello again');
    expect(tg.messages(-100300).map((m) => m.text)).toEqual(['hello again']);
  });

  it('long-polls updates, uploads and downloads files, registers commands, checks members', async () => {
    const alice = tg.user(42, 'Alice');
    tg.setMember(-100200, 42, 'administrator');
    expect((await api.getChatMember(-100200, 42)).status).toBe('administrator');
    expect((await api.getChatMember(-100200, 43)).status).toBe('left');
    const polled = api.getUpdates({ timeout: 5 });
    setTimeout(() => tg.sendFile(-100200, alice, 'feeds.opml', '<opml/>', '/import'), 50);
    const [update] = await polled;
    const doc = update!.message!.document!;
    const file = await api.getFile(doc.file_id);
    const res = await fetch(`${tg.apiRoot}/file/bot${tg.token}/${file.file_path}`);
    expect(await res.text()).toBe('<opml/>');
    const sent = await api.sendDocument(-100200, new InputFile(Buffer.from('<opml version="2.0"/>'), 'sources.opml'));
    expect(tg.messages(-100200).at(-1)?.document?.content.toString()).toBe('<opml version="2.0"/>');
    expect(sent.document?.file_name).toBe('sources.opml');
    await api.setMyCommands([{ command: 'sources', description: 'List sources' }]);
    expect((await error(api.setMyCommands([{ command: 'Bad-Name', description: 'x' }]))).description).toBe(
      'Bad Request: BOT_COMMAND_INVALID',
    );
    const query = tg.press(-100200, alice, sent.message_id, 'x');
    expect(await api.answerCallbackQuery(query, { text: 'ok' })).toBe(true);
    expect((await error(api.answerCallbackQuery(query))).description).toMatch(/^Bad Request: query is too old/);
  });
});
