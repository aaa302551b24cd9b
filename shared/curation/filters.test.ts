import { describe, expect, it } from 'vitest';
import { describeFilters, editFilters, isFilterKind } from './filters';
import { ChannelRulesSchema } from './rules';

const rules = ChannelRulesSchema.parse({ include: ['comet'] });

describe("moderators' filter edits", () => {
  it('adds once, removes, says when a value is not there, clears, and refuses a regex RE2 cannot run', () => {
    const added = editFilters(rules, { action: 'add', kind: 'exclude', value: 'crypto' });
    expect(added).toMatchObject({ include: ['comet'], exclude: ['crypto'] });
    expect(editFilters(added as typeof rules, { action: 'add', kind: 'exclude', value: 'crypto' })).toMatchObject({
      exclude: ['crypto'],
    });
    expect(editFilters(rules, { action: 'remove', kind: 'include', value: 'comet' })).toMatchObject({ include: [] });
    expect(editFilters(rules, { action: 'remove', kind: 'include', value: 'asteroid' })).toBe(
      '“asteroid” is not in include.',
    );
    expect(editFilters(rules, { action: 'clear' })).toMatchObject({
      include: [],
      exclude: [],
      includeRegex: [],
      excludeRegex: [],
    });
    expect(editFilters(rules, { action: 'add', kind: 'include-regex', value: '(?<=x)y' })).toMatch(
      /^Not saved: includeRegex\[0\]/,
    );
    expect([
      isFilterKind('exclude-regex'),
      isFilterKind('tags'),
      isFilterKind('toString'),
      isFilterKind(undefined),
    ]).toEqual([true, false, false, false]);
  });

  it("describes a destination's filters one line each, values quoted as the platform shows them", () => {
    expect(describeFilters('Main', { include: ['comet'], approval: 'all' }, (v) => `«${v}»`)).toEqual([
      'Filters of Main:',
      'include: «comet»',
      'exclude: —',
      'include-regex: —',
      'exclude-regex: —',
      'approval: all',
    ]);
  });
});
