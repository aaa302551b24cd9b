import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseEnv } from '../config/env';
import { exportOpml, importOpmlFile, isFeedUrl } from '../sources/catalog';
import { openStore } from '../store/open-store';
import { StoreError, type Source, type Store } from '../store/types';
import { errorMessage } from '../../shared/errors';

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`scipop: ${line}\n`);

/** Runs a command against the store SCIPOP_DB names; a failure is one line on stderr and exit 1. */
async function withStore(work: (store: Store) => Promise<void>): Promise<void> {
  let store: Store | undefined;
  try {
    store = await openStore(parseEnv().SCIPOP_DB);
    await work(store);
  } catch (error) {
    err(errorMessage(error));
    process.exitCode = 1;
  } finally {
    await store?.close();
  }
}

async function findSource(store: Store, ref: string): Promise<Source> {
  const exact = await store.getSource(ref);
  if (exact) return exact;
  const byPrefix = ref.length >= 4 ? (await store.listSources()).filter((s) => s.id.endsWith(ref)) : [];
  if (byPrefix.length === 1) return byPrefix[0]!;
  throw new StoreError(
    'not-found',
    byPrefix.length > 1
      ? `"${ref}" matches ${byPrefix.length} sources; give more of the id`
      : `no source with the id or URL "${ref}" (see scipop sources list)`,
  );
}

function state(s: Source): string {
  if (!s.active) return `paused: ${s.pausedReason ?? 'by a moderator'}`;
  if (s.failures > 0) return `failing (${s.failures}): ${s.lastError ?? ''}`;
  return s.lastSuccessAt ? 'ok' : 'new';
}

/** `scipop sources list|add|remove|pause|resume|import|export`. */
export function registerSourcesCommands(program: Command): void {
  const sources = program.command('sources').description('manage the curated feed sources (stored in SCIPOP_DB)');

  sources
    .command('list')
    .description('list every source with its state')
    .option('--json', 'print a JSON array')
    .action((o: { json?: boolean }) =>
      withStore(async (store) => {
        const list = await store.listSources();
        if (o.json) {
          out(JSON.stringify(list, null, 2));
          return;
        }
        if (list.length === 0) {
          out(
            'no sources yet: `scipop sources import FILE.opml`, `scipop sources add URL`, or `scipop run` to start with the default list',
          );
          return;
        }
        for (const s of list) {
          out(
            `${s.id.slice(-12)}  ${s.trusted ? ' ' : '?'} ${s.title}  <${s.url}>  [${s.tags.join(', ')}]${s.lang ? ` ${s.lang}` : ''}  ${state(s)}`,
          );
        }
        const paused = list.filter((s) => !s.active).length;
        process.stderr.write(`${list.length} source(s), ${paused} paused; ? = posts need approval\n`);
      }),
    );

  sources
    .command('add')
    .description('add a feed')
    .argument('<url>', 'the feed URL (RSS, Atom, RDF or JSON Feed)')
    .option('--title <title>', 'display name (default: the host name)')
    .option('--tag <tag...>', 'tags (fields such as astronomy, medicine)')
    .option('--lang <lang>', 'language of the feed (en, zh-cn)')
    .option('--interval <minutes>', 'fetch interval in minutes (default: the configured one)')
    .option('--untrusted', 'posts from this source wait in the approval queue')
    .action(
      (url: string, o: { title?: string; tag?: string[]; lang?: string; interval?: string; untrusted?: boolean }) =>
        withStore(async (store) => {
          if (!isFeedUrl(url)) throw new StoreError('not-found', `not an http(s) URL: ${url}`);
          const minutes = o.interval === undefined ? null : Number(o.interval);
          if (minutes !== null && !(minutes > 0))
            throw new StoreError('not-found', `--interval must be a positive number of minutes, not "${o.interval}"`);
          const s = await store.addSource(
            {
              url,
              title: o.title ?? new URL(url).hostname,
              tags: o.tag ?? [],
              lang: o.lang ?? null,
              intervalSec: minutes === null ? null : Math.round(minutes * 60),
              trusted: !o.untrusted,
            },
            Date.now(),
          );
          out(`added ${s.id.slice(-12)} ${s.title} <${s.url}>`);
        }),
    );

  sources
    .command('remove')
    .description('remove a source with its recorded items')
    .argument('<source>', 'id (or its end, as listed) or URL')
    .action((ref: string) =>
      withStore(async (store) => {
        const s = await findSource(store, ref);
        await store.removeSource(s.id);
        out(`removed ${s.title} <${s.url}>`);
      }),
    );

  sources
    .command('pause')
    .description('stop fetching a source')
    .argument('<source>', 'id or URL')
    .option('--reason <text>', 'why (shown in the list)', 'paused by a moderator')
    .action((ref: string, o: { reason: string }) =>
      withStore(async (store) => {
        const s = await findSource(store, ref);
        await store.pauseSource(s.id, o.reason, Date.now());
        out(`paused ${s.title}`);
      }),
    );

  sources
    .command('resume')
    .description('resume a paused source: its failures are forgotten and it is fetched at once')
    .argument('<source>', 'id or URL')
    .action((ref: string) =>
      withStore(async (store) => {
        const s = await findSource(store, ref);
        await store.resumeSource(s.id, Date.now());
        out(`resumed ${s.title}`);
      }),
    );

  sources
    .command('import')
    .description('import an OPML file (nested outlines become tags); existing feeds are updated')
    .argument('<file>', 'OPML 1.0/2.0 file')
    .action((file: string) =>
      withStore(async (store) => {
        const r = await importOpmlFile(store, file, Date.now());
        for (const p of r.problems) err(`${file}: ${p}`);
        out(
          `imported ${file}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged${r.problems.length ? `, ${r.problems.length} skipped` : ''}`,
        );
      }),
    );

  sources
    .command('export')
    .description('write every source as OPML 2.0')
    .argument('[file]', 'output file (default: standard output)')
    .action((file: string | undefined) =>
      withStore(async (store) => {
        const xml = await exportOpml(store);
        if (file) {
          writeFileSync(file, xml);
          process.stderr.write(`wrote ${file}\n`);
        } else process.stdout.write(xml);
      }),
    );
}
