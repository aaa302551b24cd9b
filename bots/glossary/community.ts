/**
 * The community glossary as people use it (the CLI, the chat commands, the bots' matcher): drafts
 * checked as `scipop glossary lint` checks packs, decisions only by editors, every change a
 * revision in the Store. Platform-neutral: who the actor is and what role they have come in from
 * the caller; replies are values and errors are {@link GlossaryInputError}s with plain messages.
 */
import { draftProblems } from '../../shared/glossary/community/checks';
import { communityStateAt, layeredPacks, type CommunityState } from '../../shared/glossary/community/layer';
import {
  GlossaryInputError,
  parseEntryKey,
  parseNote,
  parseProposedEntry,
  type GlossaryActor,
  type GlossaryRevision,
} from '../../shared/glossary/community/model';
import { mayDecide, mayPropose, type GlossaryRole } from '../../shared/glossary/community/permissions';
import { formIdentity } from '../../shared/matcher/forms';
import type { GlossaryPack } from '../../shared/glossary/schema';
import type { GlossaryStateStore } from '../store/glossary-types';

/** A draft as reviewers see it: the revision and its lint problems in plain words. */
export interface ReviewedDraft {
  revision: GlossaryRevision;
  problems: string[];
}

/** The outcome of a decision on one draft id. */
export type Decision =
  { id: string; ok: true; revision: GlossaryRevision } | { id: string; ok: false; reason: string; problems: string[] };

/** A refusal because of who asked (not what they asked). */
export class GlossaryDeniedError extends GlossaryInputError {
  override readonly name = 'GlossaryDeniedError';
}

/** What the service needs: the store's glossary part and the bundled packs. */
export interface CommunityGlossaryDeps {
  store: GlossaryStateStore;
  bundled: readonly GlossaryPack[];
  clock: { now(): Date };
}

/** One entry of a proposal: a language and an entry in the pack format. */
export interface Proposal {
  lang: string;
  entry: unknown;
}

function requireRole(ok: boolean, what: string): void {
  if (!ok) throw new GlossaryDeniedError(`only the glossary's editors may ${what}`);
}

/** The community glossary over a store. */
export function createCommunityGlossary(deps: CommunityGlossaryDeps) {
  const { store, bundled } = deps;
  const now = () => deps.clock.now().getTime();

  const liveState = async (): Promise<CommunityState> => {
    const [revisions, revision] = await Promise.all([
      store.publishedGlossaryRevisions(),
      store.glossaryRevisionNumber(),
    ]);
    return communityStateAt(revisions, revision);
  };
  const livePacks = async () => layeredPacks(bundled, await liveState());
  const problemsOf = async (revisions: readonly GlossaryRevision[]) => {
    const edits = revisions.filter((r) => r.entry !== null);
    const found = draftProblems(
      edits.map((r) => ({ lang: r.lang, entry: r.entry! })),
      await livePacks(),
    );
    const byId = new Map(edits.map((r, i) => [r.id, found[i]!]));
    return revisions.map((r) => byId.get(r.id) ?? []);
  };

  /** The live entry of a term (its text, an alias or its id) in a language, or undefined. */
  const findLive = async (term: string, lang?: string) => {
    const wanted = formIdentity(term.trim());
    for (const pack of await livePacks()) {
      if (lang && pack.lang !== lang) continue;
      const hit = pack.entries.find(
        (e) => e.id === term.trim() || [e.term, ...e.aliases].some((f) => formIdentity(f) === wanted),
      );
      if (hit) return { lang: pack.lang, entry: hit, community: pack.id.startsWith('community-') };
    }
    return undefined;
  };

  return {
    liveState,
    livePacks,
    findLive,

    /** Stores proposed entries as drafts (all or none: one bad entry refuses the lot); each with its problems. */
    async propose(
      actor: GlossaryActor,
      role: GlossaryRole,
      proposals: readonly Proposal[],
      note?: string,
    ): Promise<ReviewedDraft[]> {
      requireRole(mayPropose(role), 'propose drafts (moderators of a served channel and editors)');
      const why = parseNote(note);
      if (proposals.length === 0) throw new GlossaryInputError('no entries to propose');
      const parsed = proposals.map((p, i) => {
        try {
          parseEntryKey(p.lang, 'x');
          return { lang: p.lang, entry: parseProposedEntry(p.entry) };
        } catch (error) {
          if (error instanceof GlossaryInputError && proposals.length > 1)
            throw new GlossaryInputError(`entry ${i + 1}: ${error.message}`);
          throw error;
        }
      });
      const problems = draftProblems(parsed, await livePacks());
      const out: ReviewedDraft[] = [];
      for (const [i, p] of parsed.entries()) {
        const revision = await store.saveGlossaryDraft(
          { lang: p.lang, entryId: p.entry.id, action: 'edit', entry: p.entry, author: actor, note: why },
          now(),
        );
        out.push({ revision, problems: problems[i]! });
      }
      return out;
    },

    /** The drafts waiting, oldest first, without their problems (no checks run). */
    drafts: () => store.glossaryDrafts(),

    /** The drafts waiting, oldest first, with their problems. */
    async review(): Promise<ReviewedDraft[]> {
      const drafts = await store.glossaryDrafts();
      const problems = await problemsOf(drafts);
      return drafts.map((revision, i) => ({ revision, problems: problems[i]! }));
    },

    /** Approves drafts one by one; one with lint problems is refused with them. */
    async approve(actor: GlossaryActor, role: GlossaryRole, ids: readonly string[]): Promise<Decision[]> {
      requireRole(mayDecide(role), 'approve drafts');
      const out: Decision[] = [];
      for (const id of ids) {
        const draft = await store.getGlossaryRevision(id);
        if (!draft) {
          out.push({ id, ok: false, reason: `no draft with id ${id}`, problems: [] });
          continue;
        }
        if (draft.status !== 'draft') {
          out.push({ id, ok: false, reason: `already ${draft.status}`, problems: [] });
          continue;
        }
        const [problems] = await problemsOf([draft]);
        if (problems!.length > 0) {
          out.push({ id, ok: false, reason: 'has lint problems; fix them in a new draft', problems: problems! });
          continue;
        }
        const approved = await store.approveGlossaryDraft(id, actor, now());
        out.push(
          approved
            ? { id, ok: true, revision: approved }
            : { id, ok: false, reason: 'decided by someone else meanwhile', problems: [] },
        );
      }
      return out;
    },

    /** Rejects drafts; an unknown or decided id is reported, not an error. */
    async reject(actor: GlossaryActor, role: GlossaryRole, ids: readonly string[]): Promise<Decision[]> {
      requireRole(mayDecide(role), 'reject drafts');
      const out: Decision[] = [];
      for (const id of ids) {
        const draft = await store.getGlossaryRevision(id);
        if (!draft) out.push({ id, ok: false, reason: `no draft with id ${id}`, problems: [] });
        else if (!(await store.rejectGlossaryDraft(id, actor, now())))
          out.push({ id, ok: false, reason: `already ${(await store.getGlossaryRevision(id))!.status}`, problems: [] });
        else out.push({ id, ok: true, revision: (await store.getGlossaryRevision(id))! });
      }
      return out;
    },

    /** Takes a live entry (community or bundled) out of use, published at once. */
    async retire(actor: GlossaryActor, role: GlossaryRole, lang: string, entryId: string, note?: string) {
      requireRole(mayDecide(role), 'retire entries');
      parseEntryKey(lang, entryId);
      const why = parseNote(note);
      const live = await findLive(entryId, lang);
      if (!live || live.entry.id !== entryId)
        throw new GlossaryInputError(`no live entry "${entryId}" in ${lang} to retire`);
      return store.publishGlossaryChange(
        { lang, entryId, action: 'retire', entry: null, author: actor, note: why },
        now(),
      );
    },

    /** Publishes an earlier revision's text again (or its retirement), as a new revision; lint must pass. */
    async revert(
      actor: GlossaryActor,
      role: GlossaryRole,
      lang: string,
      entryId: string,
      seq: number,
      note?: string,
    ): Promise<GlossaryRevision> {
      requireRole(mayDecide(role), 'revert entries');
      parseEntryKey(lang, entryId);
      const why = parseNote(note) || `revert to revision ${seq}`;
      const history = await store.glossaryHistory(lang, entryId);
      const target = history.find((r) => r.seq === seq);
      if (!target)
        throw new GlossaryInputError(
          history.length === 0
            ? `"${entryId}" has no community revisions in ${lang}`
            : `"${entryId}" has no revision ${seq} (it has 1 to ${history.length})`,
        );
      if (target.entry) {
        const [problems] = draftProblems([{ lang, entry: target.entry }], await livePacks());
        if (problems!.length > 0)
          throw new GlossaryInputError(
            `revision ${seq} no longer passes the checks: ${problems!.join('; ')}; propose a fixed draft instead`,
          );
      }
      return store.publishGlossaryChange(
        { lang, entryId, action: target.action, entry: target.entry, author: actor, note: why },
        now(),
      );
    },

    /** The wanted list: terms readers asked for and terms the news uses, most wanted first. */
    wanted: (limit = 10) => store.glossaryWanted(limit),

    /** Says `actor` is writing a wanted term; false when someone else already is, or it is not on the list. */
    async claimWanted(actor: GlossaryActor, role: GlossaryRole, lang: string, term: string): Promise<boolean> {
      requireRole(mayPropose(role), 'claim wanted terms (moderators of a served channel and editors)');
      return store.claimGlossaryWanted(lang, term, actor, now());
    },

    /** Takes a term off the wanted list for good (a moderator's or an editor's call). */
    async dismissWanted(role: GlossaryRole, lang: string, term: string): Promise<boolean> {
      requireRole(mayPropose(role), 'dismiss wanted terms');
      return store.dismissGlossaryWanted(lang, term);
    },

    /** Every revision of an entry, oldest first. */
    history: (lang: string, entryId: string) => {
      parseEntryKey(lang, entryId);
      return store.glossaryHistory(lang, entryId);
    },
  };
}

/** The community glossary service. */
export type CommunityGlossary = ReturnType<typeof createCommunityGlossary>;
