import { Gauge, type Registry } from 'prom-client';
import type { Config } from '../config/config';
import type { Env } from '../config/env';
import { createDiscordPlatform } from '../discord/platform';
import { createTelegramPlatform } from '../telegram/platform';
import type { ChatPlatform, PlatformOptions } from './types';

/** A kind of chat platform: built when the environment configures it (its token is set). */
export interface PlatformKind {
  name: string;
  create(env: Env, config: Config, options: PlatformOptions): ChatPlatform | null;
}

/** Every chat platform SciPop speaks; a new platform is one more entry here and a folder beside these. */
export const PLATFORM_KINDS: readonly PlatformKind[] = [
  {
    name: 'telegram',
    create: (env, config, options) =>
      env.TELEGRAM_BOT_TOKEN
        ? createTelegramPlatform({
            ...options,
            token: env.TELEGRAM_BOT_TOKEN,
            ...(env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT.replace(/\/+$/, '') } : {}),
            config: config.telegram,
          })
        : null,
  },
  {
    name: 'discord',
    create: (env, config, options) =>
      env.DISCORD_BOT_TOKEN
        ? createDiscordPlatform({
            ...options,
            token: env.DISCORD_BOT_TOKEN,
            ...(env.DISCORD_API_BASE ? { apiBase: env.DISCORD_API_BASE } : {}),
            config: config.discord,
          })
        : null,
  },
];

/** The platforms the environment configures, built over the network's shared options. */
export function createPlatforms(env: Env, config: Config, options: PlatformOptions): ChatPlatform[] {
  return PLATFORM_KINDS.map((kind) => kind.create(env, config, options)).filter((p) => p !== null);
}

/** Each platform's connection state by name, as /healthz shows it. */
export function platformStates(platforms: readonly ChatPlatform[]): Record<string, string> {
  return Object.fromEntries(platforms.map((p) => [p.name, p.state()]));
}

/** `scipop_platform_up{platform}`: 1 while connected (or standing by for another worker), 0 while not up yet. */
export function registerPlatformGauge(registry: Registry, platforms: readonly ChatPlatform[]): void {
  new Gauge({
    name: 'scipop_platform_up',
    help: 'Whether each chat platform is connected (1), or standing by while another worker holds it (1), or not up (0)',
    labelNames: ['platform', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of platforms) {
        const state = p.state();
        this.set({ platform: p.name, state }, state === 'up' || state === 'standby' ? 1 : 0);
      }
    },
  });
}
