import { describe, expect, it } from 'vitest';
import { storyScore } from './rank';

describe('storyScore', () => {
  it('is 4 per extra source + the key term level + 2 halving every day', () => {
    expect(storyScore({ sources: 1, level: 0, ageHours: 0 })).toBe(2);
    expect(storyScore({ sources: 3, level: 2, ageHours: 24 })).toBe(8 + 2 + 1);
    expect(storyScore({ sources: 1, level: 3, ageHours: 48 })).toBe(3.5);
  });
  it('ranks a story two sources carried above any single-source story of the same age', () => {
    const two = storyScore({ sources: 2, level: 0, ageHours: 5 });
    const one = storyScore({ sources: 1, level: 3, ageHours: 5 });
    expect(two).toBeGreaterThan(one);
  });
  it('ranks specialist above common, and newer above older', () => {
    expect(storyScore({ sources: 1, level: 3, ageHours: 10 })).toBeGreaterThan(
      storyScore({ sources: 1, level: 1, ageHours: 10 }),
    );
    expect(storyScore({ sources: 1, level: 2, ageHours: 1 })).toBeGreaterThan(
      storyScore({ sources: 1, level: 2, ageHours: 30 }),
    );
    // A date in the future (a feed's clock) counts as now, never above it.
    expect(storyScore({ sources: 1, level: 2, ageHours: -50 })).toBe(4);
  });
});
