import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../bots/cli/main';

// Every `scipop …` command the README and docs/ show goes through the real command line, so the
// docs cannot drift from the code: a command written out in full is parsed by the real program
// (its command path, options and arguments accepted) up to the point where its action would run;
// a usage line (`sources add URL [--title T]`) must name a real command and only its real options.

const root = join(import.meta.dirname, '..', '..');
const files = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

interface Shown {
  file: string;
  line: number;
  text: string;
}

/** The `scipop …` command lines of a Markdown file: in sh code blocks, and in inline code in tables and prose. */
function shownCommands(file: string): Shown[] {
  const out: Shown[] = [];
  let inFence = false;
  let inShell = false;
  readFileSync(join(root, file), 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const fence = /^\s*```(\w*)/.exec(raw);
      if (fence) {
        inFence = !inFence;
        inShell = inFence && /^(sh|bash|shell|console)?$/.test(fence[1] ?? '');
        return;
      }
      if (!inShell && /^#/.test(raw)) return; // a heading names a command; it does not show one
      const found = inShell
        ? [raw.replace(/\s+#.*$/, '')]
        : [...raw.matchAll(/`([^`]*scipop [^`]*)`/g)].map((m) => m[1]!);
      for (const candidate of found) {
        const m = /(?:^|\s|&&\s*|\|\s*)(?:npx |npm run )?scipop(?: --)? (.+)$/.exec(candidate.replace(/\\\|/g, '|'));
        if (m && /^[a-z]/.test(m[1]!.trim())) out.push({ file, line: i + 1, text: m[1]!.trim() });
      }
    });
  return out;
}

/** Splits a command line as a shell would for the simple quoting the docs use. */
function words(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

const isUsage = (text: string) => /[[\]|…]|\b[A-Z][A-Z_.]+\b/.test(text.replace(/--\S+/g, ''));

function quiet(cmd: Command): void {
  cmd.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  cmd.commands.forEach(quiet);
}

class ReachedAction extends Error {}

const shown = files.flatMap(shownCommands);

describe('the commands the docs show', () => {
  it('are found in the docs', () => {
    expect(shown.length).toBeGreaterThan(20);
  });

  for (const cmd of shown) {
    it(`${cmd.file}:${cmd.line}: scipop ${cmd.text}`, async () => {
      const program = createProgram();
      quiet(program);
      const argv = words(cmd.text.split(/\s+(?:[|>&]|2>)/)[0]!);
      // Walk to the deepest command the words name.
      let at: Command = program;
      let depth = 0;
      for (; depth < argv.length; depth++) {
        const next = at.commands.find((c) => c.name() === argv[depth] || c.aliases().includes(argv[depth]!));
        if (!next) break;
        at = next;
      }
      expect(at, `no such command: scipop ${argv.slice(0, depth + 1).join(' ')}`).not.toBe(program);
      const known = new Set(
        [at, ...ancestors(at)].flatMap((c) => c.options.flatMap((o) => [o.long, o.short].filter(Boolean) as string[])),
      );
      known.add('--help').add('-h');
      for (const word of argv.slice(depth)) {
        const option = /^(--?[a-zA-Z][\w-]*)/.exec(word)?.[1];
        if (option) expect(known, `${option} is not an option of scipop ${at.name()}`).toContain(option);
      }
      // A usage line, a help request, or a group named on its own ("the `scipop glossary` commands").
      if (isUsage(cmd.text) || argv.includes('--help') || (at.commands.length > 0 && depth === argv.length)) return;
      program.hook('preAction', () => {
        throw new ReachedAction();
      });
      await expect(program.parseAsync(['node', 'scipop', ...argv])).rejects.toBeInstanceOf(ReachedAction);
    });
  }
});

function ancestors(cmd: Command): Command[] {
  const out: Command[] = [];
  for (let p = cmd.parent; p; p = p.parent) out.push(p);
  return out;
}
