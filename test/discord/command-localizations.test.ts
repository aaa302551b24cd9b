import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../bots/discord/commands';
import { validateCommands } from '../fakes/discord/validate';

type Node = {
  name: string;
  description?: string;
  name_localizations?: Record<string, string>;
  description_localizations?: Record<string, string>;
  options?: Node[];
};

const walk = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...walk(n.options ?? [])]);

describe('Discord slash commands in Chinese', () => {
  const all = walk(COMMANDS as unknown as Node[]);

  it('carry a Chinese description on every command, subcommand and option, and Chinese names on commands', () => {
    expect(all.filter((n) => !n.description_localizations?.['zh-CN']).map((n) => n.name)).toEqual([]);
    expect(all.every((n) => n.description_localizations!['zh-TW'] === n.description_localizations!['zh-CN'])).toBe(
      true,
    );
    const explain = (COMMANDS as unknown as Node[]).find((c) => c.name === 'explain')!;
    expect(explain.name_localizations).toEqual({ 'zh-CN': '解释', 'zh-TW': '解释' });
    expect(explain.description_localizations!['zh-CN']).toBe('用词库解释一个科学术语');
    const scipop = (COMMANDS as unknown as Node[]).find((c) => c.name === 'scipop')!;
    expect(scipop.options!.find((o) => o.name === 'lang')!.name_localizations!['zh-CN']).toBe('语言');
  });

  it('pass the checks Discord makes (the fake server makes them too)', () => {
    expect(validateCommands(COMMANDS)).toBeNull();
  });

  it('the fake refuses what Discord refuses: an unknown locale, an uppercase or too long name, a duplicate', () => {
    const bad = [
      {
        name: 'ok',
        description: 'd',
        name_localizations: { zh: '解释' },
        description_localizations: { 'zh-CN': 'x'.repeat(101) },
        options: [
          { type: 3, name: 'Term', description: 'd' },
          { type: 3, name: 'a', description: 'd', name_localizations: { 'zh-CN': '同' } },
          { type: 3, name: 'b', description: 'd', name_localizations: { 'zh-CN': '同' } },
        ],
      },
    ];
    expect(validateCommands(bad)).toMatchObject({
      code: 50035,
      errors: {
        0: {
          name_localizations: { zh: { _errors: [{ message: 'Invalid Locale' }] } },
          description_localizations: { 'zh-CN': { _errors: [{ message: 'Invalid localization' }] } },
          options: {
            0: { name: { _errors: [{ message: 'Command name is invalid' }] } },
            2: { name: { _errors: [{ message: 'Application command option names must be unique' }] } },
          },
        },
      },
    });
  });
});
