/**
 * The message checks Discord makes before it stores a message, with its error shape
 * (50035 Invalid Form Body, errors nested by path). Limits are Discord's documented ones.
 */

/** Discord's embed and message limits. */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedTotal: 6000,
  nonce: 25,
  threadName: 100,
  appliedTags: 5,
} as const;

type Issues = Record<string, string>;

const len = (v: unknown) => (typeof v === 'string' ? [...v].length : 0);

/** Characters Discord counts towards an embed's 6,000 total. */
export function embedLength(embed: Record<string, unknown>): number {
  const fields = (embed.fields as { name?: string; value?: string }[] | undefined) ?? [];
  const footer = embed.footer as { text?: string } | undefined;
  const author = embed.author as { name?: string } | undefined;
  return (
    len(embed.title) +
    len(embed.description) +
    len(footer?.text) +
    len(author?.name) +
    fields.reduce((n, f) => n + len(f.name) + len(f.value), 0)
  );
}

function checkEmbed(embed: Record<string, unknown>, at: string, issues: Issues): void {
  const over = (path: string, value: unknown, max: number) => {
    if (len(value) > max) issues[`${at}.${path}`] = `Must be ${max} or fewer in length.`;
  };
  over('title', embed.title, DISCORD_LIMITS.title);
  over('description', embed.description, DISCORD_LIMITS.description);
  over('footer.text', (embed.footer as { text?: string } | undefined)?.text, DISCORD_LIMITS.footer);
  over('author.name', (embed.author as { name?: string } | undefined)?.name, DISCORD_LIMITS.authorName);
  const fields = (embed.fields as { name?: string; value?: string }[] | undefined) ?? [];
  if (fields.length > DISCORD_LIMITS.fields)
    issues[`${at}.fields`] = `Must be ${DISCORD_LIMITS.fields} or fewer in length.`;
  fields.forEach((f, i) => {
    if (!f.name || !f.value) issues[`${at}.fields.${i}`] = 'This field is required';
    over(`fields.${i}.name`, f.name, DISCORD_LIMITS.fieldName);
    over(`fields.${i}.value`, f.value, DISCORD_LIMITS.fieldValue);
  });
  for (const key of ['url', 'image.url', 'thumbnail.url', 'author.url', 'author.icon_url'] as const) {
    const value = key.includes('.')
      ? (embed[key.split('.')[0]!] as Record<string, unknown> | undefined)?.[key.split('.')[1]!]
      : embed[key];
    if (value !== undefined && !/^(https?|attachment):\/\/\S+$/.test(String(value)))
      issues[`${at}.${key}`] = "Scheme must be one of ('http', 'https').";
  }
  if (embed.timestamp !== undefined && Number.isNaN(Date.parse(String(embed.timestamp))))
    issues[`${at}.timestamp`] = 'Could not parse timestamp.';
}

/** Checks a message body; returns Discord's error body, or null when it is valid. */
export function validateMessage(body: Record<string, unknown>): Record<string, unknown> | null {
  const issues: Issues = {};
  const embeds = (body.embeds as Record<string, unknown>[] | undefined) ?? [];
  const content = typeof body.content === 'string' ? body.content : '';
  if (len(content) > DISCORD_LIMITS.content) issues.content = `Must be ${DISCORD_LIMITS.content} or fewer in length.`;
  if (embeds.length > DISCORD_LIMITS.embeds) issues.embeds = `Must be ${DISCORD_LIMITS.embeds} or fewer in length.`;
  embeds.forEach((e, i) => checkEmbed(e, `embeds.${i}`, issues));
  const total = embeds.reduce((n, e) => n + embedLength(e), 0);
  if (total > DISCORD_LIMITS.embedTotal)
    issues.embeds = `Embed size exceeds maximum size of ${DISCORD_LIMITS.embedTotal}`;
  if (body.nonce !== undefined && len(String(body.nonce)) > DISCORD_LIMITS.nonce)
    issues.nonce = `Must be ${DISCORD_LIMITS.nonce} or fewer in length.`;
  const components = (body.components as unknown[] | undefined) ?? [];
  if (!content && embeds.length === 0 && components.length === 0 && !body.attachments && !body.files) {
    return { message: 'Cannot send an empty message', code: 50006 };
  }
  return invalidFormBody(issues, 'BASE_TYPE_MAX_LENGTH');
}

/**
 * Checks a modal (interaction callback type 9) as Discord does: a custom_id of 1–100 characters, a
 * title of at most 45, one to five action rows of one text input each, whose labels are at most 45
 * characters, style 1 (short) or 2 (paragraph), and max_length at most 4000. Returns Discord's
 * error body, or null.
 */
export function validateModal(data: Record<string, unknown>): Record<string, unknown> | null {
  const issues: Issues = {};
  const id = typeof data.custom_id === 'string' ? data.custom_id : '';
  if (len(id) < 1 || len(id) > 100) issues.custom_id = 'Must be between 1 and 100 in length.';
  const title = typeof data.title === 'string' ? data.title : '';
  if (len(title) < 1 || len(title) > 45) issues.title = 'Must be between 1 and 45 in length.';
  const rows = Array.isArray(data.components) ? (data.components as Record<string, unknown>[]) : [];
  if (rows.length < 1 || rows.length > 5) issues.components = 'Must be between 1 and 5 in length.';
  rows.forEach((row, i) => {
    const inputs = Array.isArray(row.components) ? (row.components as Record<string, unknown>[]) : [];
    if (row.type !== 1 || inputs.length !== 1) issues[`components.${i}`] = 'An action row holds one text input.';
    inputs.forEach((input, j) => {
      const at = `components.${i}.components.${j}`;
      if (input.type !== 4) issues[`${at}.type`] = 'Value must be one of {4}.';
      if (len(String(input.label ?? '')) < 1 || len(String(input.label ?? '')) > 45)
        issues[`${at}.label`] = 'Must be between 1 and 45 in length.';
      if (input.style !== 1 && input.style !== 2) issues[`${at}.style`] = 'Value must be one of {1, 2}.';
      if (input.max_length !== undefined && (Number(input.max_length) < 1 || Number(input.max_length) > 4000))
        issues[`${at}.max_length`] = 'int value should be between 1 and 4000.';
    });
  });
  return invalidFormBody(issues, 'BASE_TYPE_BAD_LENGTH');
}

/** The locales Discord accepts as keys of name_localizations and description_localizations. */
export const DISCORD_LOCALES = new Set([
  'id',
  'da',
  'de',
  'en-GB',
  'en-US',
  'es-ES',
  'es-419',
  'fr',
  'hr',
  'it',
  'lt',
  'hu',
  'nl',
  'no',
  'pl',
  'pt-BR',
  'ro',
  'fi',
  'sv-SE',
  'vi',
  'tr',
  'cs',
  'el',
  'bg',
  'ru',
  'uk',
  'hi',
  'th',
  'zh-CN',
  'ja',
  'zh-TW',
  'ko',
]);

const COMMAND_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/**
 * Checks a bulk overwrite of application commands as Discord does: names of 1–32 letters, digits,
 * `-` or `_`, lowercase; descriptions of 1–100 characters; localizations only under Discord's
 * locales and within the same limits; at most 25 options and 25 choices; no two siblings with the
 * same name, in any locale. Returns Discord's error body, or null.
 */
export function validateCommands(body: unknown): Record<string, unknown> | null {
  const issues: Issues = {};
  const named = (at: string, node: Record<string, unknown>, needsDescription: boolean) => {
    const name = String(node.name ?? '');
    if (!COMMAND_NAME.test(name) || name !== name.toLowerCase()) issues[`${at}.name`] = 'Command name is invalid';
    if (needsDescription && (len(node.description) < 1 || len(node.description) > 100))
      issues[`${at}.description`] = 'Must be between 1 and 100 in length.';
    for (const [field, check] of [
      ['name_localizations', (v: string) => COMMAND_NAME.test(v) && v === v.toLowerCase()],
      ['description_localizations', (v: string) => len(v) >= 1 && len(v) <= 100],
    ] as const) {
      const map = node[field];
      if (map === undefined || map === null) continue;
      for (const [locale, value] of Object.entries(map as Record<string, unknown>)) {
        if (!DISCORD_LOCALES.has(locale)) issues[`${at}.${field}.${locale}`] = 'Invalid Locale';
        else if (typeof value !== 'string' || !check(value))
          issues[`${at}.${field}.${locale}`] = 'Invalid localization';
      }
    }
  };
  const siblings = (at: string, list: Record<string, unknown>[]) => {
    const names = new Map<string, string>();
    list.forEach((node, i) => {
      const all = [
        String(node.name ?? ''),
        ...Object.entries((node.name_localizations ?? {}) as Record<string, string>).map(([l, v]) => `${l}:${v}`),
      ];
      for (const n of all) {
        const key = n.includes(':') ? n : `:${n}`;
        if (names.has(key)) issues[`${at}.${i}.name`] = 'Application command option names must be unique';
        names.set(key, String(i));
      }
    });
  };
  const options = (at: string, list: unknown) => {
    if (list === undefined) return;
    const items = Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
    if (items.length > 25) issues[at] = 'Must be 25 or fewer in length.';
    siblings(at, items);
    items.forEach((o, i) => {
      named(`${at}.${i}`, o, true);
      const choices = Array.isArray(o.choices) ? (o.choices as Record<string, unknown>[]) : [];
      if (choices.length > 25) issues[`${at}.${i}.choices`] = 'Must be 25 or fewer in length.';
      choices.forEach((c, j) => {
        if (len(c.name) < 1 || len(c.name) > 100)
          issues[`${at}.${i}.choices.${j}.name`] = 'Must be between 1 and 100 in length.';
      });
      options(`${at}.${i}.options`, o.options);
    });
  };
  const commands = Array.isArray(body) ? (body as Record<string, unknown>[]) : [];
  siblings('', commands);
  commands.forEach((c, i) => {
    // Message and user commands (types 2, 3) have no description.
    named(String(i), c, (c.type ?? 1) === 1);
    options(`${i}.options`, c.options);
  });
  // Sibling paths of the top level start with '.': strip it.
  for (const key of Object.keys(issues))
    if (key.startsWith('.')) {
      issues[key.slice(1)] = issues[key]!;
      delete issues[key];
    }
  return invalidFormBody(issues, 'APPLICATION_COMMAND_INVALID');
}

/** Discord's 50035 body for the issues by dotted path (errors nested by path), or null when there are none. */
function invalidFormBody(issues: Issues, code: string): Record<string, unknown> | null {
  if (Object.keys(issues).length === 0) return null;
  const errors: Record<string, unknown> = {};
  for (const [path, message] of Object.entries(issues)) {
    let node = errors;
    for (const part of path.split('.')) node = (node[part] ??= {}) as Record<string, unknown>;
    node._errors = [{ code, message }];
  }
  return { message: 'Invalid Form Body', code: 50035, errors };
}
