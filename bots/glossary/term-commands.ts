/**
 * `/term …` for both chat platforms, written once: text in (the command's arguments and the lines
 * after it), cards out (text and buttons), for an actor whose role the platform worked out. The
 * platforms only render cards and route button presses back to {@link runTermButton}.
 */
import { errorMessage } from '../../shared/errors';
import {
  GlossaryInputError,
  parseProposedEntry,
  type GlossaryActor,
  type GlossaryRevision,
} from '../../shared/glossary/community/model';
import { mayPropose, type GlossaryRole } from '../../shared/glossary/community/permissions';
import type { GlossaryEntry } from '../../shared/glossary/schema';
import { checkFirst } from '../ai/check-first';
import type { Drafter } from '../ai/drafter';
import { explainTerm } from './read';
import type { CommunityGlossary } from './community';
import { entryFromForm, parseTermForm, slugOf, splitTermInput, TERM_FORM_HELP } from './term-form';
import { wantedKey, type WantedTerm } from '../store/glossary-types';

/** Who is asking, with the role their platform found (editor, moderator, reader). */
export interface TermActor extends GlossaryActor {
  role: GlossaryRole;
}

/** A button on a card: what it says and the data its press sends back (`approve:ID`). */
export interface TermButton {
  label: 'Approve' | 'Edit' | 'Reject';
  data: string;
}

/** One message to send. */
export interface TermCard {
  text: string;
  buttons?: TermButton[];
}

/** What /term needs: the community glossary, and a hook run after each published change (refresh the matcher now; the answer waits for it). */
export interface TermCommandDeps {
  glossary: CommunityGlossary;
  published?: () => unknown;
  /** The language model that writes first drafts (`/term draft`), when one is configured. */
  drafter?: Drafter;
}

/** How a draft the model wrote is marked in its revision's note, so every card says so. */
export const AI_DRAFT_NOTE = 'AI draft by';

/** What /term draft says when no model is configured. */
const DRAFTING_NOT_SET_UP =
  'Drafting is not set up on this network: an operator sets ai.baseUrl and ai.model in the config (or SCIPOP_AI_BASE_URL and SCIPOP_AI_MODEL); see docs/ai-drafts.md.';

/** The usage, as `/term` alone answers. */
export const TERM_USAGE = [
  '/term show TERM — the entry as readers see it, and where it comes from',
  '/term history TERM — every revision, who made it and why',
  '/term add TERM (then one field a line; alone, it asks for each or opens a form) — propose a new entry (moderators)',
  '/term edit TERM (then the fields to change) — propose a change (moderators)',
  '/term review — the drafts waiting, with Approve / Reject (editors decide)',
  '/term revert TERM REV — publish an earlier revision again (editors)',
  '/term retire TERM — take an entry out of use (editors)',
  '/term wanted — the terms readers asked for and the news uses, with counts and an example; claim TERM to write one',
  '/term draft TERM — a language model writes a first draft for an editor to review (moderators)',
  '/term redraft TERM | NOTE — a new AI draft, told what to change ("simpler", "mention the 2025 result")',
].join('\n');

/** The id a term names when it has no live entry (a retired one): itself if it is an id, else its slug. */
const idOf = (term: string) => (/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(term) ? term : slugOf(term) || term);
const langOf = (term: string) => (/\p{Script=Han}/u.test(term) ? 'zh-Hans' : 'en');
const date = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const times = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One wanted term: what wants it, who is writing it, and an example from the news. */
function wantedLines(w: WantedTerm): string[] {
  const why = [
    ...(w.items > 0 ? [`in ${times(w.items, 'item')} from ${times(w.sources, 'source')}`] : []),
    ...(w.asks > 0 ? [`asked ${times(w.asks, 'time')}`] : []),
  ].join('; ');
  const claimed = w.claimedBy ? ` — ${w.claimedBy.name} is writing it` : '';
  const example = w.examples[0];
  return [
    `• ${w.term} [${w.lang}] — ${why}${claimed}`,
    ...(example ? [`  “${example.text}”${example.link ? ` ${example.link}` : ''}`] : []),
  ];
}

/** An entry as a reader sees it (what /explain shows). */
function asReaderSees(entry: GlossaryEntry, lang: string): string {
  const pack = {
    format: 1 as const,
    id: 'draft',
    title: 'draft',
    lang,
    revision: 1,
    license: 'community',
    entries: [entry],
  };
  return explainTerm([{ file: 'draft', pack }], entry.id) ?? entry.term;
}

/** A draft's card: the entry as readers will see it, who proposed it and why, its problems, the buttons. */
export function draftCard(r: GlossaryRevision, problems: readonly string[]): TermCard {
  const head = `Draft ${r.seq} of “${r.entry?.term ?? r.entryId}” [${r.lang}] by ${r.author.name}${r.note ? ` — ${r.note}` : ''}`;
  const body = r.entry ? asReaderSees(r.entry, r.lang) : '(retires the entry)';
  const issues =
    problems.length > 0 ? `\n\nProblems (fix them before it can be approved):\n• ${problems.join('\n• ')}` : '';
  const ai =
    r.entry && r.note.startsWith(AI_DRAFT_NOTE)
      ? `\n\nWritten by a language model: an editor checks every word. Check first:\n• ${checkFirst(r.entry).join('\n• ')}`
      : '';
  return {
    text: `${head}\n\n${body}${issues}${ai}`,
    buttons: [
      { label: 'Approve', data: `approve:${r.id}` },
      { label: 'Edit', data: `edit:${r.id}` },
      { label: 'Reject', data: `reject:${r.id}` },
    ],
  };
}

/** Runs `/term <input>`; a refusal or a problem with the input is a card saying so, never a throw. */
export async function runTermCommand(deps: TermCommandDeps, actor: TermActor, input: string): Promise<TermCard[]> {
  const { head: first, lines: rest } = splitTermInput(input);
  const [sub = '', ...words] = first.split(/\s+/);
  const args = words.join(' ');
  const g = deps.glossary;
  try {
    switch (sub.toLowerCase()) {
      case 'show': {
        const live = args ? await g.findLive(args) : undefined;
        if (!live)
          return [{ text: `No live entry for “${args}”. A moderator can propose one: /term add ${args || 'TERM'}` }];
        const from = live.community ? 'the community glossary' : "SciPop's editors (bundled)";
        return [{ text: `${asReaderSees(live.entry, live.lang)}\n\nFrom ${from}.` }];
      }
      case 'history': {
        const live = await g.findLive(args);
        const id = live?.entry.id ?? idOf(args);
        const lang = live?.lang ?? langOf(args);
        const history = await g.history(lang, id);
        if (history.length === 0)
          return [{ text: `“${args}” has no community revisions${live ? ' (it is bundled as shipped)' : ''}.` }];
        return [
          {
            text: history
              .map(
                (r) =>
                  `${r.seq}. ${r.action === 'retire' ? 'retire' : 'edit'} · ${r.status}${r.publishedRev ? ` (revision ${r.publishedRev})` : ''} · ${r.author.name} · ${date(r.createdAt)}${r.decidedBy && r.decidedBy.name !== r.author.name ? ` · decided by ${r.decidedBy.name}` : ''}${r.note ? ` — ${r.note}` : ''}`,
              )
              .join('\n'),
          },
        ];
      }
      case 'add':
      case 'edit': {
        if (!args) return [{ text: `/term ${sub} TERM, then one field a line.\n${TERM_FORM_HELP}` }];
        const form = parseTermForm(rest);
        const live = await g.findLive(args);
        if (sub === 'edit' && !live)
          return [{ text: `No live entry for “${args}” to edit; /term add ${args} proposes one.` }];
        if (sub === 'add' && live)
          return [{ text: `“${args}” already has an entry (${live.entry.id}); /term edit ${args} proposes a change.` }];
        if (rest.every((l) => l.trim() === '')) return [{ text: TERM_FORM_HELP }];
        const lang = form.fields.lang ?? live?.lang ?? langOf(args);
        const raw = entryFromForm(args, form, live?.entry);
        parseProposedEntry(raw); // each field checked before anything is stored
        const [draft] = await g.propose(actor, actor.role, [{ lang, entry: raw }], form.fields.note);
        const card = draftCard(draft!.revision, draft!.problems);
        return [{ text: `Saved as a draft; an editor will review it (/term review).\n\n${card.text}` }];
      }
      case 'review': {
        const drafts = await g.review();
        if (drafts.length === 0) return [{ text: 'No drafts are waiting.' }];
        return drafts.map((d) => draftCard(d.revision, d.problems));
      }
      case 'revert': {
        const m = /^(.*\S)\s+(\d+)$/.exec(args);
        if (!m) return [{ text: '/term revert TERM REV — REV is a number from /term history TERM' }];
        const live = await g.findLive(m[1]!);
        const lang = live?.lang ?? langOf(m[1]!);
        const id = live?.entry.id ?? idOf(m[1]!);
        const r = await g.revert(actor, actor.role, lang, id, Number(m[2]));
        await deps.published?.();
        return [{ text: `Reverted “${m[1]}” to revision ${m[2]} (now published revision ${r.publishedRev}).` }];
      }
      case 'retire': {
        const live = args ? await g.findLive(args) : undefined;
        if (!live) return [{ text: `No live entry for “${args}” to retire.` }];
        const r = await g.retire(actor, actor.role, live.lang, live.entry.id);
        await deps.published?.();
        return [
          {
            text: `Retired “${live.entry.term}” (published revision ${r.publishedRev}); /term history ${args} can bring it back.`,
          },
        ];
      }
      case 'wanted': {
        const dismiss = /^dismiss\s+(.+)$/i.exec(args);
        if (dismiss) {
          const done = await g.dismissWanted(actor.role, langOf(dismiss[1]!), dismiss[1]!);
          return [
            {
              text: done
                ? `“${dismiss[1]}” is off the wanted list for good.`
                : `“${dismiss[1]}” is not on the wanted list.`,
            },
          ];
        }
        const claim = /^claim\s+(.+)$/i.exec(args);
        if (claim) {
          const term = claim[1]!.trim();
          if (await g.claimWanted(actor, actor.role, langOf(term), term))
            return [{ text: `“${term}” is yours to write: /term add ${term} when you are ready.` }];
          const holder = (await g.wanted(500)).find((w) => wantedKey(w.term) === wantedKey(term));
          return [
            {
              text: holder?.claimedBy
                ? `${holder.claimedBy.name} is already writing “${holder.term}” (since ${date(holder.claimedAt!)}).`
                : `“${term}” is not on the wanted list.`,
            },
          ];
        }
        const wanted = await g.wanted(10);
        if (wanted.length === 0)
          return [{ text: 'Nothing is wanted yet: no reader has asked, and the news has not been read.' }];
        return [
          {
            text: [
              'Terms wanted (/term wanted claim TERM to write one; /term wanted dismiss TERM to drop one):',
              ...wanted.flatMap(wantedLines),
            ].join('\n'),
          },
        ];
      }
      case 'draft':
      case 'redraft': {
        if (!deps.drafter) return [{ text: DRAFTING_NOT_SET_UP }];
        // The note follows a | on the line, or comes on the lines after it: a term may have several words.
        const redraft = sub.toLowerCase() === 'redraft';
        const bar = redraft ? args.indexOf('|') : -1;
        const term = (bar >= 0 ? args.slice(0, bar) : args).trim();
        const editorNote = redraft
          ? (bar >= 0 ? args.slice(bar + 1) : rest.join(' ')).replace(/\s+/g, ' ').trim() || undefined
          : undefined;
        if (!term || (redraft && !editorNote))
          return [{ text: redraft ? '/term redraft TERM | NOTE (what to change)' : '/term draft TERM' }];
        if (!mayPropose(actor.role)) return [{ text: 'Sorry: only moderators and editors may ask for drafts.' }];
        const live = await g.findLive(term);
        const lang = live?.lang ?? langOf(term);
        // A redraft changes what stands: the newest draft of the term waiting, else the live entry.
        const waiting = redraft
          ? (await g.drafts())
              .filter(
                (r) =>
                  r.lang === lang &&
                  r.entry &&
                  (r.entryId === live?.entry.id || r.entry.term.toLowerCase() === term.toLowerCase()),
              )
              .at(-1)?.entry
          : undefined;
        const previous = redraft ? (waiting ?? live?.entry) : undefined;
        const draft = await deps.drafter.draft({
          term: live?.entry.term ?? term,
          lang: lang === 'zh-Hans' ? 'zh-Hans' : 'en',
          ...(live ? { id: live.entry.id } : waiting ? { id: waiting.id } : {}),
          ...(editorNote ? { note: editorNote } : {}),
          ...(previous ? { previous } : {}),
        });
        if (!draft.ok) return [{ text: `No draft of “${term}”: ${draft.reason}` }];
        const note = `${AI_DRAFT_NOTE} ${draft.model}${editorNote ? `, asked: ${editorNote}` : ''}`.slice(0, 280);
        const [saved] = await g.propose(actor, actor.role, [{ lang, entry: draft.entry }], note);
        const card = draftCard(saved!.revision, saved!.problems);
        return [{ text: `Saved as a draft, not published; an editor reviews it (/term review).\n\n${card.text}` }];
      }
      default:
        return [{ text: TERM_USAGE }];
    }
  } catch (error) {
    if (error instanceof GlossaryInputError) return [{ text: `Sorry: ${error.message}` }];
    throw error;
  }
}

/** A press of a draft card's button; the answer replaces the card's text (who decided) and drops its buttons. */
export async function runTermButton(
  deps: TermCommandDeps,
  actor: TermActor,
  data: string,
): Promise<{ text: string; closed: boolean }> {
  const m = /^(approve|reject|edit):(\w+)$/.exec(data);
  if (!m) return { text: 'Unknown button.', closed: false };
  const [, action, id] = m;
  try {
    if (action === 'edit') {
      const draft = await deps.glossary.review().then((all) => all.find((d) => d.revision.id === id));
      const term = draft?.revision.entry?.term ?? id;
      return {
        text: `To change it, send /term edit ${term} with the fields to change.\n${TERM_FORM_HELP}`,
        closed: false,
      };
    }
    const [decision] =
      action === 'approve'
        ? await deps.glossary.approve(actor, actor.role, [id!])
        : await deps.glossary.reject(actor, actor.role, [id!]);
    if (!decision!.ok)
      return {
        text: `Not ${action}d: ${decision!.reason}${decision!.problems.length > 0 ? `\n• ${decision!.problems.join('\n• ')}` : ''}`,
        closed: false,
      };
    // The answer comes once the bots use the change: the next post after it explains the term.
    if (action === 'approve') await deps.published?.();
    const r = decision!.revision;
    return {
      text: `${action === 'approve' ? '✅ Approved' : '❌ Rejected'} by ${actor.name}: “${r.entry?.term ?? r.entryId}” [${r.lang}]${r.publishedRev ? ` — published revision ${r.publishedRev}` : ''}`,
      closed: true,
    };
  } catch (error) {
    if (error instanceof GlossaryInputError) return { text: `Sorry: ${error.message}`, closed: false };
    throw new Error(`/term button failed: ${errorMessage(error)}`);
  }
}
