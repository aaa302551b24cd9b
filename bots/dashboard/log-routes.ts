import type { Hono } from 'hono';
import type { CommandDeps } from '../platform/commands';
import type { AppEnv, PageKit } from './kit';
import { messagePage, page } from './html';
import { logBody, logFilterOf, LOG_PER_PAGE } from './log';
import { dashboardScope } from './scope';

/**
 * The Delivery log page: for every new item and each channel receiving its source, what happened
 * and why (store/delivery-log.ts), limited to the channels the moderator manages (operators: all).
 */
export function mountDeliveryLog(app: Hono<AppEnv>, kit: PageKit, deps: CommandDeps): void {
  const { signedIn, frameOf } = kit;
  app.get('/log', signedIn, async (c) => {
    const s = c.get('signed');
    const scope = await dashboardScope(deps.store, s.grant);
    const filter = logFilterOf((name) => c.req.query(name));
    let channelIds: string[] | null = s.grant.operator ? null : scope.here.map((ch) => ch.id);
    if (filter.channel) {
      if (!scope.here.some((ch) => ch.id === filter.channel))
        return c.html(
          messagePage(
            frameOf(s, 'Not found', 'log'),
            'Not found',
            'No channel by that id among those you moderate.',
            true,
          ),
          404,
        );
      channelIds = [filter.channel];
    }
    const rows = await deps.store.deliveryLog({
      channelIds,
      ...(filter.outcome ? { outcomes: [filter.outcome] } : {}),
      ...(filter.q ? { search: filter.q } : {}),
      offset: (filter.page - 1) * LOG_PER_PAGE,
      limit: LOG_PER_PAGE + 1,
    });
    const entries = rows.slice(0, LOG_PER_PAGE);
    const sourceIds = [...new Set(entries.map((e) => e.sourceId))];
    const sources = new Map<string, string>();
    for (const src of await Promise.all(sourceIds.map((id) => deps.store.getSource(id))))
      if (src) sources.set(src.id, src.title);
    return c.html(
      page(
        frameOf(s, 'Delivery log', 'log'),
        logBody({
          entries,
          more: rows.length > LOG_PER_PAGE,
          filter,
          channels: scope.here,
          titles: new Map(scope.all.map((ch) => [ch.id, ch.channel])),
          sources,
        }),
      ),
    );
  });
}
