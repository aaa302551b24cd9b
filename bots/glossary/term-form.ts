import { GlossaryInputError } from '../../shared/glossary/community/model';
import { FIELDS, type GlossaryEntry } from '../../shared/glossary/schema';

/** The form `/term add` and `/term edit` take: one `key: value` per line after the command. */
export const TERM_FORM_HELP = [
  'Write the entry one field a line, after the command:',
  'short: one or two plain sentences (what it is)',
  'long: a paragraph (why it matters)',
  `field: one or more of ${FIELDS.join(', ')}`,
  'level: 1 common, 2 informed, 3 specialist',
  'source: a title and its https URL',
  'aliases: other forms, comma-separated (optional)',
  'note: why you are adding or changing it (optional)',
].join('\n');

const KEYS = new Set([
  'id',
  'short',
  'long',
  'field',
  'fields',
  'level',
  'source',
  'sources',
  'aliases',
  'note',
  'lang',
]);

/** The fields a `/term add|edit` message gives, each checked as it is read. */
export interface TermForm {
  fields: Partial<Record<'id' | 'short' | 'long' | 'level' | 'note' | 'lang', string>> & {
    field?: string[];
    source?: { title: string; url: string }[];
    aliases?: string[];
  };
}

/** Parses `key: value` lines; an unknown key or a malformed value is one plain error. */
export function parseTermForm(lines: readonly string[]): TermForm {
  const form: TermForm = { fields: {} };
  const f = form.fields;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^([a-z]+)\s*:\s*(.*)$/i.exec(line);
    if (!m) throw new GlossaryInputError(`"${line.slice(0, 40)}" is not a field line (write key: value)`);
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (!KEYS.has(key)) throw new GlossaryInputError(`"${key}" is not a field; the fields are:\n${TERM_FORM_HELP}`);
    if (value === '') throw new GlossaryInputError(`${key}: is empty`);
    if (key === 'field' || key === 'fields') {
      const list = value.split(/[,\s]+/).filter(Boolean);
      const bad = list.find((x) => !(FIELDS as readonly string[]).includes(x));
      if (bad) throw new GlossaryInputError(`field: "${bad}" is not one of ${FIELDS.join(', ')}`);
      f.field = [...(f.field ?? []), ...list];
    } else if (key === 'source' || key === 'sources') {
      const s = /^(.*?)\s*<?(https?:\/\/\S+?)>?$/.exec(value);
      if (!s) throw new GlossaryInputError('source: write a title and its https URL');
      f.source = [...(f.source ?? []), { title: s[1] || new URL(s[2]!).hostname, url: s[2]! }];
    } else if (key === 'aliases') {
      f.aliases = value
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean);
    } else if (key === 'level') {
      if (!/^[123]$/.test(value))
        throw new GlossaryInputError('level: write 1 (common), 2 (informed) or 3 (specialist)');
      f.level = value;
    } else f[key as 'id' | 'short' | 'long' | 'note' | 'lang'] = value;
  }
  return form;
}

/** An entry id from a term: `Circumbinary planet` → `circumbinary-planet` (empty for a term with no Latin letters). */
export function slugOf(term: string): string {
  return term
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The entry a form makes: over `base` (an edit) or new (`term` given); still raw, for parseProposedEntry. */
export function entryFromForm(term: string, form: TermForm, base?: GlossaryEntry): Record<string, unknown> {
  const f = form.fields;
  const id = base?.id ?? f.id ?? slugOf(term);
  if (!id) throw new GlossaryInputError('this term has no Latin letters to make an id from: add a line id: some-slug');
  return {
    ...(base ?? {}),
    id,
    term: base?.term ?? term,
    ...(f.short ? { short: f.short } : {}),
    ...(f.long ? { long: f.long } : {}),
    ...(f.field ? { fields: f.field } : {}),
    ...(f.level ? { level: Number(f.level) } : {}),
    ...(f.source ? { sources: f.source } : {}),
    ...(f.aliases ? { aliases: f.aliases } : {}),
  };
}

const KEY_AHEAD = /\s+(?=(?:id|short|long|fields?|level|sources?|aliases|note|lang)\s*:)/i;

/**
 * Splits `/term add TERM …` input into its first line (the subcommand and term) and field lines.
 * Chat platforms may hand the text over as one line (Discord's options, Telegram's joined words),
 * so a known `key:` starts a new field wherever it stands.
 */
export function splitTermInput(input: string): { head: string; lines: string[] } {
  const [first = '', ...rest] = input.split('\n');
  const [head = '', ...inline] = first.split(KEY_AHEAD);
  return { head: head.trim(), lines: [...inline, ...rest.flatMap((l) => l.split(KEY_AHEAD))] };
}
