/**
 * Builds release-5.db and release-5.expected.json with the code of the release before
 * subscriptions (schema 5). Run from a checkout of that release, with this folder copied into it:
 *   git archive 1bd6f3c | tar -x -C /tmp/rel && cp -r test/store/release /tmp/rel/test/store/
 *   (cd /tmp/rel && npx tsx test/store/release/build.ts OUT_DIR)
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileChannels } from '../../../bots/engine/channels';
import { parseFeedText } from '../../../bots/engine/parse-feed';
import { pollSource } from '../../../bots/engine/poller';
import { createSqliteStore } from '../../../bots/store/sqlite-store';
import { fillRelease, queued, roundDeps, T0 } from './scenario';

const out = process.argv[2] ?? '.';
const dir = mkdtempSync(join(tmpdir(), 'scipop-release-'));
const file = join(dir, 'release.db');
const store = createSqliteStore(file);
if ((await store.schemaVersion()) !== 5) throw new Error('not the schema-5 release');
await fillRelease(store);
await store.close(); // checkpoints the WAL: the file alone is the store
copyFileSync(file, join(out, 'release-5.db'));

const again = createSqliteStore(file);
const channels = compileChannels(await again.listChannels(), () => {});
const registry = { list: () => channels, get: (id: string) => channels.find((c) => c.channel.id === id) };
const deps = roundDeps(again, (text: string, o: { url: string }) => parseFeedText(text, o));
for (const s of (await again.listSources()).filter((x) => x.active)) await pollSource(s, deps as never, registry);
writeFileSync(join(out, 'release-5.expected.json'), `${JSON.stringify(await queued(again, T0 + 60_000), null, 2)}\n`);
await again.close();
