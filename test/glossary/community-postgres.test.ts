import { describe, expect, it, vi } from 'vitest';
import { createCommunityGlossary } from '../../bots/glossary/community';
import { createThreadCompiler } from '../../bots/glossary/compiler';
import { createLiveGlossary } from '../../bots/glossary/live';
import { createPostgresStore } from '../../bots/store/postgres-store';
import { compileMatcher } from '../../shared/matcher';
import { createTestSchema } from '../store/postgres';
import { alice, bundledPacks, circumbinary, eddie } from './community-fixtures';

vi.setConfig({ testTimeout: 120_000 });

describe('the living glossary with two workers on PostgreSQL', () => {
  it('a change approved through one worker is used by the other within its poll interval', async () => {
    const t = await createTestSchema();
    const [a, b] = [await createPostgresStore(t.url), await createPostgresStore(t.url)];
    const bundledMatcher = compileMatcher(bundledPacks().map((p) => p.pack));
    const other = await createLiveGlossary({
      store: b,
      bundled: bundledPacks(),
      bundledMatcher,
      compiler: createThreadCompiler(),
    });
    try {
      other.startPolling(200);
      const g = createCommunityGlossary({
        store: a,
        bundled: bundledPacks().map((p) => p.pack),
        clock: { now: () => new Date() },
      });
      const [draft] = await g.propose(alice, 'moderator', [{ lang: 'en', entry: circumbinary }]);
      await new Promise((r) => setTimeout(r, 500));
      expect(other.revision).toBe(1); // a draft is not published
      const [decision] = await g.approve(eddie, 'editor', [draft!.revision.id]);
      expect(decision?.ok).toBe(true);
      const approvedAt = Date.now();
      while (other.revision < 2 && Date.now() - approvedAt < 30_000) await new Promise((r) => setTimeout(r, 20));
      expect(other.revision).toBe(2);
      expect(other.find('Kepler saw a circumbinary planet.').map((m) => m.id)).toContain(circumbinary.id);
    } finally {
      await other.close();
      await a.close();
      await b.close();
      await t.drop();
    }
  });
});
