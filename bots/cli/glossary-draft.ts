import type { Command } from 'commander';
import { AI_NOT_CONFIGURED, resolveAiSettings } from '../ai/config';
import { createGlossaryDrafter } from '../ai/glossary-drafter';
import { loadConfig } from '../config/config';
import { parseEnv } from '../config/env';
import { loadBundledPacks } from '../glossary/bundled';
import { AI_DRAFT_NOTE } from '../glossary/term-commands';
import { explainTerm } from '../glossary/read';
import { operator, withGlossary } from './glossary-community';

/** `scipop glossary draft TERM`: the configured language model's first draft of an entry, never published. */
export function registerDraftCommand(glossary: Command): void {
  glossary
    .command('draft')
    .description(
      'ask the configured language model for a draft entry and print it with its lint result (nothing is published)',
    )
    .argument('<term>', 'the term to draft')
    .option('--lang <lang>', 'en or zh-Hans', 'en')
    .option('--note <text>', 'what the draft should do, as an editor asks for a redraft ("simpler")')
    .option('--config <file>', 'YAML or JSON config with an ai: section (see bots/config/example.yaml)')
    .option('--json', 'print the draft as JSON')
    .option(
      '--save',
      'store it as a draft of the community glossary (SCIPOP_DB) for editors to review; never published',
    )
    .option('--as <name>', 'with --save: the name recorded as the one who asked (default: your login name)')
    .action(
      async (
        term: string,
        options: { lang: string; note?: string; config?: string; json?: boolean; save?: boolean; as?: string },
      ) => {
        if (options.lang !== 'en' && options.lang !== 'zh-Hans') {
          process.stderr.write(`scipop: --lang must be en or zh-Hans, not ${options.lang}\n`);
          return void (process.exitCode = 2);
        }
        const config = loadConfig(options.config);
        const settings = resolveAiSettings(config.ai, parseEnv());
        if (!settings) {
          process.stderr.write(`scipop: ${AI_NOT_CONFIGURED}\n`);
          return void (process.exitCode = 2);
        }
        const packs = loadBundledPacks();
        const drafter = createGlossaryDrafter(settings, { packs: () => packs, clock: { now: () => new Date() } });
        const draft = await drafter.draft({
          term,
          lang: options.lang,
          ...(options.note ? { note: options.note } : {}),
        });
        if (options.json) process.stdout.write(`${JSON.stringify(draft, null, 2)}\n`);
        if (!draft.ok) {
          process.stderr.write(`scipop: no draft: ${draft.reason}\n`);
          return void (process.exitCode = 1);
        }
        const pack = {
          format: 1 as const,
          id: 'draft',
          title: 'Draft',
          lang: options.lang,
          revision: 1,
          license: 'CC-BY-4.0',
        };
        const lines = [
          `AI draft by ${draft.model} — not published; an editor must check and approve it.`,
          '',
          explainTerm([{ file: '(draft)', pack: { ...pack, entries: [draft.entry] } }], draft.entry.id, options.lang) ??
            '',
          '',
          draft.problems.length === 0
            ? `lint: ok${draft.firstProblems.length > 0 ? ` (after one fix of ${draft.firstProblems.length} problem(s))` : ''}`
            : `lint: ${draft.problems.length} problem(s) — it can be saved, not approved:`,
          ...draft.problems.map((p) => `  ${p}`),
          'check first:',
          ...draft.checkFirst.map((c) => `  ${c}`),
          ...(draft.unknownRelated.length > 0
            ? [`related terms with no entry yet: ${draft.unknownRelated.join(', ')}`]
            : []),
          `${draft.requests} request(s), ${draft.tokens} tokens, ${draft.seconds.toFixed(1)} s`,
        ];
        if (!options.json) process.stdout.write(`${lines.join('\n')}\n`);
        if (options.save) {
          const note = `${AI_DRAFT_NOTE} ${draft.model}${options.note ? `, asked: ${options.note}` : ''}`.slice(0, 280);
          await withGlossary(async (g) => {
            const [saved] = await g.propose(
              operator(options.as),
              'editor',
              [{ lang: options.lang, entry: draft.entry }],
              note,
            );
            process.stderr.write(
              `saved as draft ${saved!.revision.id} (not published; scipop glossary review lists it)\n`,
            );
          });
        }
      },
    );
}
