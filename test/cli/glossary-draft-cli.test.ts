import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/server';

// Each command is a child process that lints a draft against a whole language: slow on a loaded 2-core machine.
vi.setConfig({ testTimeout: 180_000 });

const bin = fileURLToPath(new URL('../../bots/cli/bin.mjs', import.meta.url));

function scipop(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SCIPOP_AI_')));
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...clean, ...env }, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const KEY = 'sk-cli-SECRET-5555555555';
let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({
    key: KEY,
    brain: ({ term }) => ({
      id: 'glimmer-vortex',
      term,
      aliases: [],
      related: [],
      short: 'A swirl of faint light that a test model invents for this check.',
      long: 'Nothing in nature is called this. The test uses it so that no entry ever has the same name.',
      level: 2,
      fields: ['astronomy'],
      sources: [{ title: 'Example page', url: 'https://example.org/glimmer-vortex' }],
    }),
  });
});
afterAll(() => fake.close());

describe('scipop glossary draft', () => {
  it('says how to set drafting up when no model is configured (exit 2)', async () => {
    const r = await scipop(['glossary', 'draft', 'exoplanet'], {});
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/ai\.baseUrl.*SCIPOP_AI_BASE_URL/);
  });

  it('prints the draft as a reader would see it, its lint result and what to check first', async () => {
    const r = await scipop(['glossary', 'draft', 'glimmer vortex'], {
      SCIPOP_AI_BASE_URL: fake.baseUrl,
      SCIPOP_AI_MODEL: 'fake-model-cli',
      SCIPOP_AI_API_KEY: KEY,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^AI draft by fake-model-cli — not published/);
    expect(r.stdout).toContain('A swirl of faint light');
    expect(r.stdout).toMatch(/lint: ok/);
    expect(r.stdout).toMatch(/sources \(unverified\): https:\/\/example\.org\/glimmer-vortex/);
    expect(r.stdout).not.toContain(KEY);
  });

  it('reports a refused key without ever printing it (exit 1)', async () => {
    const wrong = 'sk-cli-WRONG-7777777777';
    const r = await scipop(['glossary', 'draft', 'glimmer vortex'], {
      SCIPOP_AI_BASE_URL: fake.baseUrl,
      SCIPOP_AI_MODEL: 'fake-model-cli',
      SCIPOP_AI_API_KEY: wrong,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no draft: the model did not answer: 401/);
    expect(r.stderr + r.stdout).not.toContain(wrong);
  });

  it('--save stores the draft for review, marked as the model’s, and publishes nothing', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'scipop-draft-')), 'scipop.db');
    const env = {
      SCIPOP_AI_BASE_URL: fake.baseUrl,
      SCIPOP_AI_MODEL: 'fake-model-cli',
      SCIPOP_AI_API_KEY: KEY,
      SCIPOP_DB: db,
    };
    const r = await scipop(['glossary', 'draft', 'glimmer vortex', '--save', '--as', 'Tess'], env);
    expect(r.status).toBe(0);
    expect(r.stderr, r.stdout).toMatch(/^saved as draft \S+ \(not published/);
    const review = await scipop(['glossary', 'review', '--json'], env);
    expect(review.status).toBe(0);
    const drafts = JSON.parse(review.stdout) as { term: string; note?: string; author?: string }[];
    expect(JSON.stringify(drafts)).toContain('AI draft by fake-model-cli');
    expect(JSON.stringify(drafts)).toContain('glimmer vortex');
    const site = join(db, '..', 'site');
    expect((await scipop(['glossary', 'publish', site], env)).status).toBe(0);
    const published = readdirSync(site, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.json'))
      .map((f) => readFileSync(join(site, f), 'utf8'));
    expect(published.length).toBeGreaterThan(0);
    expect(published.join('\n')).not.toContain('glimmer');
  });
});
