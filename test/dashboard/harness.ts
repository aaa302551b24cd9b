import { createServer } from 'node:net';
import { expect } from 'vitest';
import { hashToken, newToken } from '../../bots/dashboard/tokens';
import type { DashboardGrant } from '../../bots/store/dashboard-types';
import type { Store } from '../../bots/store/types';

/** A free loopback port for SCIPOP_HTTP_PORT (the dashboard's base URL must name it before the start). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** The CSRF token a dashboard page's forms carry. */
export const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** A browser on the dashboard at `base`: forms are posted from its own origin, redirects are not followed. */
export function browser(base: string) {
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  const get = (path: string, cookie?: string) =>
    fetch(`${base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  /** Opens a sign-in link and presses Sign in; the session cookie (`name=value`). */
  async function signIn(link: string): Promise<string> {
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button type="submit" class="primary">Sign in</button>');
    const res = await post('/dashboard/sign-in', { t: new URL(link).searchParams.get('t')! });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/overview');
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    return setCookie.split(';')[0]!;
  }
  return { base, get, post, signIn };
}

/**
 * Signs in with a link the store holds for `grant`, as `/dashboard` in the chat would have made it
 * (the chat's side is tested in dashboard.e2e.test.ts); the session cookie.
 */
export async function signInAs(
  web: ReturnType<typeof browser>,
  store: Pick<Store, 'createDashboardSignIn'>,
  grant: DashboardGrant,
): Promise<string> {
  const token = newToken();
  const now = Date.now();
  await store.createDashboardSignIn(hashToken(token), grant, now, now + 10 * 60_000);
  return web.signIn(`${web.base}/dashboard/sign-in?t=${token}`);
}
