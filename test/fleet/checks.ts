import { withAdmin } from '../store/postgres';
import type { Fleet } from './fleet';
import type { ProxiedCall } from './proxy';
import { parseLink } from './world';

/** One post a fake platform holds: where, which item (its link), and when it was accepted. */
export interface Received {
  dest: string;
  link: string;
  at: number;
}

/** Every fleet post both fakes hold, oldest first per destination (notices and other messages left out). */
export function receivedPosts(fleet: Fleet): Received[] {
  const out: Received[] = [];
  for (const d of fleet.dests) {
    const address = fleet.address.get(d.id)!;
    if (d.platform === 'telegram') {
      for (const m of fleet.tg.messages(Number(address))) {
        const link = parseLink(m.html ?? m.text);
        if (link) out.push({ dest: d.id, link, at: m.at });
      }
    } else {
      for (const m of fleet.discord.messages(address)) {
        const link = parseLink(m.embeds[0]?.url as string | undefined);
        if (link) out.push({ dest: d.id, link, at: Date.parse(m.timestamp) });
      }
    }
  }
  return out;
}

/** How the received posts compare with the expected set. */
export interface Comparison {
  /** Expected (destination, link) pairs that never arrived. */
  missing: string[];
  /** Pairs that arrived but were not expected. */
  unexpected: string[];
  /** Pairs that arrived more than once, with the count. */
  repeated: { dest: string; link: string; times: number }[];
  distinct: number;
}

/** Compares what the fakes hold with what the rules say each destination must get. */
export function compare(expected: Map<string, Set<string>>, received: readonly Received[]): Comparison {
  const counts = new Map<string, number>();
  for (const r of received) counts.set(`${r.dest} ${r.link}`, (counts.get(`${r.dest} ${r.link}`) ?? 0) + 1);
  const wanted = new Set([...expected].flatMap(([dest, links]) => [...links].map((l) => `${dest} ${l}`)));
  return {
    missing: [...wanted].filter((k) => !counts.has(k)),
    unexpected: [...counts.keys()].filter((k) => !wanted.has(k)),
    repeated: [...counts]
      .filter(([, n]) => n > 1)
      .map(([k, times]) => ({ dest: k.split(' ')[0]!, link: k.split(' ')[1]!, times })),
    distinct: counts.size,
  };
}

/** The most accepted posts in any sliding window of `windowMs` (the fake's and the limiter's definition: stamps in (t - windowMs, t]). */
export function busiestWindow(stamps: readonly number[], windowMs: number): number {
  const sorted = [...stamps].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[start]! <= sorted[end]! - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Which workers posted to each destination, in order of their first post (one owner at a time means one entry per phase). */
export function sendersByDest(
  calls: readonly ProxiedCall[],
  fleet: Fleet,
  from: number,
  to: number,
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const c of calls) {
    if (!c.send || c.status !== 200 || c.at < from || c.at >= to || !c.dest) continue;
    const dest = fleet.destOf.get(c.dest);
    if (!dest) continue;
    const list = out.get(dest) ?? [];
    if (!list.includes(c.worker)) list.push(c.worker);
    out.set(dest, list);
  }
  return out;
}

/** The outbox row of each (destination, link) pair, read straight from the test schema. */
export async function outboxIds(
  fleet: Fleet,
): Promise<Map<string, { id: string; status: string; claimedBy: string | null }>> {
  const s = fleet.db.schema;
  const rows = await withAdmin(
    async (c) =>
      (
        await c.query(
          `SELECT o.id, o.channel_id, o.status, o.claimed_by, i.link FROM ${s}.outbox o JOIN ${s}.items i ON i.id = o.item_id`,
        )
      ).rows as {
        id: string;
        channel_id: string;
        status: string;
        claimed_by: string | null;
        link: string;
      }[],
  );
  return new Map(
    rows.map((r) => [`${r.channel_id} ${r.link}`, { id: r.id, status: r.status, claimedBy: r.claimed_by }]),
  );
}

/** The first moment after `from` a worker other than `victim` touched one of `dests` (a resend, an in-doubt lookup, the next post). */
export function firstTouch(
  calls: readonly ProxiedCall[],
  dests: ReadonlySet<string>,
  victim: number,
  from: number,
): number | null {
  const c = calls.find((x) => x.at >= from && x.worker !== victim && x.dest !== null && dests.has(x.dest));
  return c ? c.at : null;
}

/** What is still waiting, per destination: outbox rows by status, who claimed them, the lease holder. For a timeout's message. */
export async function describeBacklog(fleet: Fleet, missing: readonly string[] = []): Promise<string> {
  const s = fleet.db.schema;
  const now = Date.now();
  return withAdmin(async (c) => {
    const rows = (
      await c.query(
        `SELECT o.channel_id, o.status, o.claimed_by, COUNT(*) AS n, MIN(o.not_before) AS next, MAX(o.attempts) AS attempts, MAX(o.last_error) AS err, l.owner, l.until_at
         FROM ${s}.outbox o LEFT JOIN ${s}.leases l ON l.kind = 'channel' AND l.lease_key = o.channel_id
         WHERE o.status <> 'sent' GROUP BY o.channel_id, o.status, o.claimed_by, l.owner, l.until_at ORDER BY o.channel_id`,
      )
    ).rows as {
      channel_id: string;
      status: string;
      claimed_by: string | null;
      n: string;
      next: string;
      attempts: string;
      err: string | null;
      owner: string | null;
      until_at: string | null;
    }[];
    const workers = (await c.query(`SELECT id, heartbeat_at FROM ${s}.workers`)).rows as {
      id: string;
      heartbeat_at: string;
    }[];
    // A missing post with no outbox row: was its item recorded without deliveries (taken for a first fetch)?
    const links = [...new Set(missing.map((m) => m.split(' ')[1]!))].slice(0, 20);
    const items = (
      await c.query(
        `SELECT i.link, i.seen_at, (SELECT COUNT(*) FROM ${s}.outbox o WHERE o.item_id = i.id) AS rows FROM ${s}.items i WHERE i.link = ANY($1)`,
        [links],
      )
    ).rows as { link: string; seen_at: string; rows: string }[];
    return [
      `workers: ${workers.map((w) => `${w.id} beat ${now - Number(w.heartbeat_at)} ms ago`).join('; ')}`,
      ...items.map((i) => `item ${i.link}: recorded ${now - Number(i.seen_at)} ms ago with ${i.rows} outbox rows`),
      ...rows.map(
        (r) =>
          `${r.channel_id}: ${r.n} ${r.status}${r.claimed_by ? ` claimed by ${r.claimed_by}` : ''}, next in ${Number(r.next) - now} ms, attempts ${r.attempts}${r.err ? `, last error "${r.err}"` : ''}; lease ${r.owner ?? 'none'}${r.until_at ? ` for ${Number(r.until_at) - now} ms` : ''}`,
      ),
    ].join('\n');
  });
}
