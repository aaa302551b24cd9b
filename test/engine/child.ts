import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toOpml } from '../../bots/sources/opml';

/** The `scipop` command, run as users run it. */
export const BIN = fileURLToPath(new URL('../../bots/cli/bin.mjs', import.meta.url));

/** A running `scipop` child process with its output collected. */
export interface Child {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null) and signal when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node bots/cli/bin.mjs …` with the given environment on top of a clean one. */
export function startScipop(args: string[], env: Record<string, string>, cwd: string): Child {
  const proc = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SCIPOP_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { proc, stdout: () => out, stderr: () => err, exited };
}

/** Runs `scipop` to completion. */
export async function runScipop(args: string[], env: Record<string, string>, cwd: string) {
  const child = startScipop(args, env, cwd);
  const { code, signal } = await child.exited;
  return { code, signal, stdout: child.stdout(), stderr: child.stderr() };
}

/** Post headers in console-sink output, in order. */
export function postsIn(stdout: string): { id: string; channel: string; resent: boolean }[] {
  return [...stdout.matchAll(/^\[post (\S+) → (\S+)\]( \(re-sent[^)]*\))?$/gm)].map((m) => ({
    id: m[1]!,
    channel: m[2]!,
    resent: Boolean(m[3]),
  }));
}

/** Writes a config and a seed OPML for the given feed URLs into `dir`; returns the config path. */
export function writeRunConfig(
  dir: string,
  feeds: string[],
  extra: {
    firstFetchPosts?: number;
    channels?: string[];
    inDoubt?: 'resend' | 'skip';
    channelConcurrency?: number;
  } = {},
): string {
  const opml = join(dir, 'sources.opml');
  writeFileSync(opml, toOpml(feeds.map((url, i) => ({ url, title: `Local feed ${i + 1}`, tags: ['astronomy'] }))));
  const channels = (extra.channels ?? ['console'])
    .map((id) => `  - id: ${id}\n    sink: console\n    target: ${id}\n`)
    .join('');
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    `sources:\n  seedOpml: ${JSON.stringify(opml)}\n  firstFetchPosts: ${extra.firstFetchPosts ?? 0}\ndelivery:\n  inDoubt: ${extra.inDoubt ?? 'resend'}\n  channelConcurrency: ${extra.channelConcurrency ?? 8}\nchannels:\n${channels}`,
  );
  return config;
}
