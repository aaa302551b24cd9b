import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { GlossaryInputError, type GlossaryActor } from '../../shared/glossary/community/model';
import { errorMessage } from '../../shared/errors';
import { loadConfig } from '../config/config';
import { parseEnv } from '../config/env';
import { loadBundledPacks } from '../glossary/bundled';
import { createCommunityGlossary, type CommunityGlossary, type Decision } from '../glossary/community';
import { buildPublishedFiles } from '../glossary/publish';
import { loadGlossarySigner } from '../glossary/signing';
import { openStore } from '../store/open-store';
import type { Store } from '../store/types';

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`scipop: ${line}\n`);

/** The operator at the command line: an editor, named by --as or the login name. */
export function operator(as?: string): GlossaryActor {
  let login = 'operator';
  try {
    login = userInfo().username || login;
  } catch {
    // No passwd entry (some containers): the generic name will do.
  }
  return { platform: 'cli', id: login, name: (as ?? login).trim().slice(0, 80) || login };
}

/** Runs a command against the store SCIPOP_DB names; a failure is one line on stderr and exit 1 (2 for bad input). */
export async function withGlossary(work: (glossary: CommunityGlossary, store: Store) => Promise<void>): Promise<void> {
  let store: Store | undefined;
  try {
    store = await openStore(parseEnv().SCIPOP_DB);
    const glossary = createCommunityGlossary({
      store,
      bundled: loadBundledPacks().map((p) => p.pack),
      clock: { now: () => new Date() },
    });
    await work(glossary, store);
  } catch (error) {
    err(errorMessage(error));
    process.exitCode = error instanceof GlossaryInputError ? 2 : 1;
  } finally {
    await store?.close();
  }
}

/** The entries of a pack-format file (its `lang` and `entries`), or a clear error. */
function readProposalFile(file: string): { lang: string; entries: unknown[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GlossaryInputError(
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new GlossaryInputError(`${file}: not valid JSON (${errorMessage(error)})`);
  }
  const pack = json as { lang?: unknown; entries?: unknown };
  if (typeof pack !== 'object' || pack === null || typeof pack.lang !== 'string' || !Array.isArray(pack.entries))
    throw new GlossaryInputError(`${file}: not a pack (needs "lang" and an "entries" array)`);
  return { lang: pack.lang, entries: pack.entries };
}

function printDecisions(decisions: readonly Decision[], verb: string): void {
  for (const d of decisions) {
    if (d.ok)
      out(`${d.id}: ${verb}${d.revision.publishedRev ? ` (published revision ${d.revision.publishedRev})` : ''}`);
    else {
      process.stderr.write(`${d.id}: ${d.reason}${d.problems.length > 0 ? `: ${d.problems.join('; ')}` : ''}\n`);
      process.exitCode = 1;
    }
  }
}

/** `scipop glossary propose|review|approve|reject|key|publish`: the community glossary on the store. */
export function registerCommunityCommands(glossary: Command): void {
  glossary
    .command('propose')
    .description(
      'store the entries of a pack-format file as drafts of the community glossary; prints one draft id per line',
    )
    .argument('<file>', 'a JSON file in the pack format (its "lang" and "entries" are used)')
    .option('--as <name>', 'the name recorded as the author (default: your login name)')
    .option('--note <text>', 'why: a short note kept with each revision')
    .action((file: string, o: { as?: string; note?: string }) =>
      withGlossary(async (g) => {
        const { lang, entries } = readProposalFile(file);
        const drafts = await g.propose(
          operator(o.as),
          'editor',
          entries.map((entry) => ({ lang, entry })),
          o.note,
        );
        for (const d of drafts) {
          out(d.revision.id);
          for (const p of d.problems) process.stderr.write(`${d.revision.id}: ${d.revision.entryId}: ${p}\n`);
        }
      }),
    );

  glossary
    .command('review')
    .description('list the drafts waiting for a decision: id, lang, term, state and lint problems')
    .option('--json', 'print a JSON array of {id, lang, entryId, term, state, seq, author, note, createdAt, problems}')
    .action((o: { json?: boolean }) =>
      withGlossary(async (g) => {
        const drafts = await g.review();
        if (o.json) {
          out(
            JSON.stringify(
              drafts.map(({ revision: r, problems }) => ({
                id: r.id,
                lang: r.lang,
                entryId: r.entryId,
                term: r.entry?.term ?? null,
                state: r.status,
                seq: r.seq,
                author: r.author,
                note: r.note,
                createdAt: new Date(r.createdAt).toISOString(),
                problems,
              })),
            ),
          );
          return;
        }
        if (drafts.length === 0) process.stderr.write('no drafts waiting\n');
        for (const { revision: r, problems } of drafts) {
          out(
            `${r.id}\t${r.lang}\t${r.entry?.term ?? r.entryId}\t${r.status}\t${problems.length === 0 ? 'ok' : `${problems.length} problem(s)`}`,
          );
          for (const p of problems) out(`  ${p}`);
        }
      }),
    );

  glossary
    .command('approve')
    .description('publish drafts: exit 1 and one line per draft that has lint problems (those stay drafts)')
    .argument('<ids...>', 'draft ids, as `scipop glossary review` lists them')
    .option('--as <name>', 'the name recorded as the editor who approved (default: your login name)')
    .action((ids: string[], o: { as?: string }) =>
      withGlossary(async (g) => printDecisions(await g.approve(operator(o.as), 'editor', ids), 'approved')),
    );

  glossary
    .command('reject')
    .description('turn drafts down (they stay in the history)')
    .argument('<ids...>', 'draft ids, as `scipop glossary review` lists them')
    .option('--as <name>', 'the name recorded as the editor who rejected (default: your login name)')
    .action((ids: string[], o: { as?: string }) =>
      withGlossary(async (g) => printDecisions(await g.reject(operator(o.as), 'editor', ids), 'rejected')),
    );

  glossary
    .command('key')
    .description("print the Ed25519 public key (base64 of its 32 raw bytes) that signs the published glossary's index")
    .action(() =>
      withGlossary(async (_g, store) => {
        out((await loadGlossarySigner(store)).publicKey);
      }),
    );

  glossary
    .command('publish')
    .description(
      'write the published glossary (index.json, index.json.sig, packs, diffs) to a folder for any static host',
    )
    .argument('<dir>', 'the folder to write (created if missing); serve it as …/glossary/v1/')
    .option('--config <file>', 'the config file whose `glossary:` section names the community and its license')
    .action((dir: string, o: { config?: string }) =>
      withGlossary(async (_g, store) => {
        const settings = loadConfig(o.config).glossary;
        const { revision, files } = await buildPublishedFiles(store, await loadGlossarySigner(store), settings);
        for (const [path, bytes] of files) {
          const target = join(dir, path);
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, bytes);
        }
        out(`${dir}: revision ${revision}, ${files.size} files`);
      }),
    );
}
