import { describe, expect, it, vi } from 'vitest';
import { createCommunityGlossary, GlossaryDeniedError } from '../../bots/glossary/community';
import { createPostgresStore } from '../../bots/store/postgres-store';
import type { Store } from '../../bots/store/types';
import type { GlossaryRole } from '../../shared/glossary/community/permissions';
import { createTestSchema } from '../store/postgres';
import { alice, bundledPacks, circumbinary, eddie, tempStore } from './community-fixtures';

// Who may change the community glossary, on both stores: readers nothing, moderators only drafts
// (and the wanted list), editors the rest. Every refusal leaves the store as it was.
vi.setConfig({ testTimeout: 180_000 });

const stores: [string, () => Promise<{ store: Store; cleanup(): Promise<void> }>][] = [
  ['SQLite', async () => tempStore()],
  [
    'PostgreSQL',
    async () => {
      const t = await createTestSchema();
      const store = await createPostgresStore(t.url);
      return {
        store,
        cleanup: async () => {
          await store.close();
          await t.drop();
        },
      };
    },
  ],
];

const rita = { platform: 'telegram', id: '33', name: 'Rita' };

describe.each(stores)('permissions of the community glossary on %s', (_name, open) => {
  it('a reader changes nothing, a moderator only proposes; an editor decides', async () => {
    const { store, cleanup } = await open();
    try {
      const g = createCommunityGlossary({
        store,
        bundled: bundledPacks().map((p) => p.pack),
        clock: { now: () => new Date('2026-12-07T04:00:00Z') },
      });
      await store.askGlossaryTerm('en', 'Dyson sphere', Date.UTC(2026, 11, 7));
      const [draft] = await g.propose(alice, 'moderator', [{ lang: 'en', entry: circumbinary }]);
      const id = draft!.revision.id;
      const snapshot = async () => ({
        revision: await store.glossaryRevisionNumber(),
        published: await store.publishedGlossaryRevisions(0),
        drafts: await store.glossaryDrafts(),
        wanted: await store.glossaryWanted(10),
      });
      const before = await snapshot();

      const attempts = (who: typeof alice, role: GlossaryRole) => [
        () => g.propose(who, role, [{ lang: 'en', entry: { ...circumbinary, short: 'Another short text.' } }]),
        () => g.approve(who, role, [id]),
        () => g.reject(who, role, [id]),
        () => g.retire(who, role, 'en', 'exoplanet'),
        () => g.revert(who, role, 'en', 'circumbinary-planet', 1),
        () => g.claimWanted(who, role, 'en', 'Dyson sphere'),
        () => g.dismissWanted(role, 'en', 'Dyson sphere'),
      ];
      for (const attempt of attempts(rita, 'reader')) await expect(attempt()).rejects.toThrow(GlossaryDeniedError);
      for (const attempt of attempts(alice, 'moderator').slice(1, 5))
        await expect(attempt()).rejects.toThrow(GlossaryDeniedError);
      expect(await snapshot()).toEqual(before);

      const [decision] = await g.approve(eddie, 'editor', [id]);
      expect(decision).toMatchObject({ ok: true, revision: { publishedRev: 2, decidedBy: eddie } });
      expect(await store.glossaryRevisionNumber()).toBe(2);
    } finally {
      await cleanup();
    }
  });
});
