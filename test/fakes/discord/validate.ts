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
  if (Object.keys(issues).length === 0) return null;
  const errors: Record<string, unknown> = {};
  for (const [path, message] of Object.entries(issues)) {
    let node = errors;
    for (const part of path.split('.')) node = (node[part] ??= {}) as Record<string, unknown>;
    node._errors = [{ code: 'BASE_TYPE_MAX_LENGTH', message }];
  }
  return { message: 'Invalid Form Body', code: 50035, errors };
}
