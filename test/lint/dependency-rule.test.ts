import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The dependency rule of STYLE.md, checked through the project's own ESLint config: code placed
// in each wing is linted as if it were a file there.
const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function rulesHit(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the dependency rule', () => {
  it('keeps Node built-ins out of shared/', async () => {
    expect(
      await rulesHit(
        'shared/glossary/x.ts',
        "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
      ),
    ).toEqual([expect.stringMatching(/^no-restricted-imports: .*shared\/ uses no Node built-ins/)]);
    expect(await rulesHit('shared/glossary/x.ts', "import path from 'path';\nexport const p = path;\n")).toHaveLength(
      1,
    );
  });

  it('keeps DOM and Node globals out of shared/', async () => {
    expect(await rulesHit('shared/matcher/x.ts', 'export const w = document.title;\n')).toEqual([
      expect.stringMatching(/^no-restricted-globals: /),
    ]);
    expect(await rulesHit('shared/matcher/x.ts', 'export const e = process.env;\n')).toEqual([
      expect.stringMatching(/^no-restricted-globals: /),
    ]);
  });

  it('keeps the wings out of shared/', async () => {
    expect(
      await rulesHit('shared/feed/x.ts', "import { main } from '../../bots/cli/main';\nexport const m = main;\n"),
    ).toEqual([expect.stringMatching(/shared\/ imports nothing from extension\/ or bots\//)]);
    expect(await rulesHit('shared/feed/x.ts', "import x from '@/content/thing';\nexport const y = x;\n")).toHaveLength(
      1,
    );
  });

  it('keeps the extension and the bots apart', async () => {
    expect(
      await rulesHit('extension/content/x.ts', "import { main } from '../../bots/cli/main';\nexport const m = main;\n"),
    ).toEqual([expect.stringMatching(/extension\/ and bots\/ never import each other/)]);
    expect(
      await rulesHit('bots/engine/x.ts', "import x from '../../extension/content/scan';\nexport const y = x;\n"),
    ).toEqual([expect.stringMatching(/extension\/ and bots\/ never import each other/)]);
    expect(
      await rulesHit(
        'extension/content/x.ts',
        "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
      ),
    ).toHaveLength(1);
  });

  it('lets each wing use shared/', async () => {
    const code = "import { compileMatcher } from '../../shared/matcher';\nexport const c = compileMatcher;\n";
    expect(await rulesHit('extension/content/x.ts', code)).toEqual([]);
    expect(await rulesHit('bots/engine/x.ts', code)).toEqual([]);
  });
});
