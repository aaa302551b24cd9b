import type { DigestLine, DigestSection, Message } from '../message/message';
import type { ChatLang } from '../i18n/lang';
import { translate } from '../i18n/translate';
import type { Digest } from './build';

/** Whether one rendered part is within a platform's limits (Telegram's 4,096 visible characters, Discord's embed limits). */
export type DigestFits = (part: Message) => boolean;

/** Options of {@link digestMessages}. */
export interface DigestMessagesOptions {
  /** `Science digest · Monday 7 December 2026` (see digestHeading). */
  heading: string;
  /** Who sends it (the channel's title), shown as a post's source is. */
  from: string;
  /** Said on the first part when the digest goes out late. */
  late?: string;
  /** When it is due (`08:00 Asia/Shanghai`), kept for a late notice added at sending time. */
  due?: string;
  /** Said instead of stories when there are none. */
  empty?: string;
  /** The channel's language, when not English: the parts' fixed words are in it (`chatLang`). */
  lang?: ChatLang;
}

const partTitle = (heading: string, part: number, parts: number) =>
  parts > 1 ? `${heading} (${part}/${parts})` : heading;

/**
 * Cuts a digest into messages that each fit: lines in order, a part closed when the next line
 * would not fit, a section's heading repeated where it continues in the next part, the story
 * numbers running on, `(1/3)` on each title. A line too long to fit alone loses its term line,
 * then has its title shortened. The summary of the first part says how many stories it holds.
 */
export function digestMessages(digest: Digest, fits: DigestFits, options: DigestMessagesOptions): Message[] {
  const lines = digest.sections.flatMap((s) => s.lines.map((line) => ({ section: s, line })));
  const lang = options.lang ?? 'en';
  const summary = (part: number) => {
    if (part > 1) return '';
    if (lines.length === 0) return options.empty ?? translate(lang, 'digest.empty');
    const sources = new Set(lines.flatMap((l) => l.line.links.map((x) => x.source))).size;
    return translate(lang, 'digest.summary', {
      stories: translate(lang, 'digest.stories', { n: lines.length }),
      sources: translate(lang, 'digest.sources', { n: sources }),
    });
  };
  // Measured with the widest part numbers the digest could need, so renumbering never overflows,
  // and the first part with room for a late notice, which delivery adds if sending is delayed.
  const widest = Math.max(1, lines.length);
  const measureLate = options.late ?? lateNotice(options.due ?? '00:00 America/Argentina/ComodRivadavia', lang);
  const make = (sections: DigestSection[], part: number, parts: number, measuring = false): Message => ({
    title: partTitle(options.heading, part, parts),
    source: { title: options.from },
    summary: summary(part),
    terms: [],
    hashtags: [],
    ...(lang !== 'en' ? { chatLang: lang } : {}),
    digest: {
      part,
      parts,
      sections,
      ...(part === 1 && (measuring || options.late) ? { late: measuring ? measureLate : options.late } : {}),
      ...(options.due ? { due: options.due } : {}),
    },
  });
  const append = (sections: DigestSection[], section: DigestSection, line: DigestLine): DigestSection[] => {
    const last = sections[sections.length - 1];
    if (last && last.field === section.field)
      return [...sections.slice(0, -1), { ...last, lines: [...last.lines, line] }];
    return [...sections, { field: section.field, heading: section.heading, lines: [line] }];
  };

  const parts: DigestSection[][] = [];
  let current: DigestSection[] = [];
  for (const { section, line } of lines) {
    const part = parts.length + 1;
    const grown = append(current, section, line);
    if (fits(make(grown, part === 1 ? 1 : widest, widest, true))) {
      current = grown;
      continue;
    }
    if (current.length > 0) {
      parts.push(current);
      current = [];
    }
    const alone = shrink(line, (l) => fits(make(append([], section, l), parts.length + 1, widest, true)));
    if (alone) current = append([], section, alone);
  }
  if (current.length > 0 || parts.length === 0) parts.push(current);
  return parts.map((sections, i) => make(sections, i + 1, parts.length));
}

/** A digest going out more than this after its time says it is late (built late, or delivered late). */
export const LATE_AFTER_MS = 5 * 60_000;

/** The notice a digest sent well after its time carries (`due` as `08:00 Asia/Shanghai`). */
export function lateNotice(due: string, lang: ChatLang = 'en'): string {
  return translate(lang, 'digest.late', { due });
}

/** The line itself if it fits, else without its term, else with its title cut; null if nothing fits. */
function shrink(line: DigestLine, fits: (line: DigestLine) => boolean): DigestLine | null {
  if (fits(line)) return line;
  const bare: DigestLine = { n: line.n, title: line.title, links: line.links };
  if (fits(bare)) return bare;
  for (let max = Math.floor(line.title.length / 2); max >= 8; max = Math.floor(max / 2)) {
    const cut: DigestLine = { ...bare, title: `${[...line.title].slice(0, max).join('').trimEnd()}…` };
    if (fits(cut)) return cut;
  }
  const first: DigestLine = {
    ...bare,
    title: `${[...line.title].slice(0, 8).join('')}…`,
    links: line.links.slice(0, 1),
  };
  return fits(first) ? first : null;
}
