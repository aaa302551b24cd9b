import { z } from 'zod';

/** The moderators' dashboard (`dashboard:` in the config file); off until `baseUrl` is set. */
export const DashboardConfigSchema = z
  .object({
    /**
     * The public address of the server on SCIPOP_HTTP_PORT, as moderators' browsers reach it
     * (`https://scipop.example.org`); sign-in links point at its `/dashboard/`. SCIPOP_DASHBOARD_URL
     * overrides it. Over https, the session cookie is Secure.
     */
    baseUrl: z.url({ protocol: /^https?$/, error: 'dashboard.baseUrl must be an http(s) URL' }).optional(),
    /**
     * Serves the dashboard on a port of its own (0: any free port) instead of SCIPOP_HTTP_PORT's,
     * e.g. to publish it through a proxy without /metrics. Unset: on SCIPOP_HTTP_PORT.
     */
    port: z.number().int().min(0).max(65535).optional(),
    /** How long a session lasts after signing in; then the moderator asks `/dashboard` again. */
    sessionHours: z.number().min(0.1).max(168).default(12),
  })
  .strict();
/** See {@link DashboardConfigSchema}. */
export type DashboardConfig = z.infer<typeof DashboardConfigSchema>;
