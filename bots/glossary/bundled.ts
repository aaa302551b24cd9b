import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePackText, type LoadedPack } from '../../shared/glossary/load';
import type { Problem } from '../../shared/glossary/problems';
import { createTermGlossary, type TermGlossary } from '../../shared/message/terms';
import { compileGlossaryMatcher } from './segmentation';

/** The folder the bundled packs ship in. */
export const BUNDLED_PACKS_DIR = fileURLToPath(new URL('../../shared/glossary/packs/', import.meta.url));

/** Every `*.json` file below a folder, sorted, so packs load in the same order everywhere. */
export function listPackFiles(dir: string = BUNDLED_PACKS_DIR): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json')) out.push(path);
    }
  };
  walk(dir);
  return out;
}

/** A path as people read it in messages: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

/** Reads and validates pack files, collecting every problem of every file. */
export function readPackFiles(files: readonly string[]): { packs: LoadedPack[]; problems: Problem[] } {
  const packs: LoadedPack[] = [];
  const problems: Problem[] = [];
  for (const path of files) {
    const file = displayPath(resolve(path));
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      problems.push({
        file,
        path: [],
        message: `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      });
      continue;
    }
    const result = parsePackText(text, file);
    if (result.ok) packs.push({ file, pack: result.value });
    else problems.push(...result.problems);
  }
  return { packs, problems };
}

/** The bundled packs; a broken bundled pack is a bug, so this throws with every problem listed. */
export function loadBundledPacks(): LoadedPack[] {
  const { packs, problems } = readPackFiles(listPackFiles());
  if (problems.length > 0) {
    throw new Error(
      `the bundled glossary has problems; run \`scipop glossary lint\`:\n${problems.map((p) => `${p.file}: ${p.message}`).join('\n')}`,
    );
  }
  return packs;
}

/** The bundled glossary, compiled once, as posts use it. */
export function bundledGlossary(): TermGlossary {
  const packs = loadBundledPacks().map((p) => p.pack);
  return createTermGlossary(compileGlossaryMatcher(packs), packs);
}
