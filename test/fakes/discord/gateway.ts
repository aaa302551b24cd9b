import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { channelJson, type FakeDiscordState } from './state';

/** Gateway opcodes the fake speaks. */
const Op = {
  dispatch: 0,
  heartbeat: 1,
  identify: 2,
  resume: 6,
  reconnect: 7,
  invalidSession: 9,
  hello: 10,
  heartbeatAck: 11,
} as const;

/** One connected, identified session. */
interface Session {
  socket: WebSocket;
  id: string;
  seq: number;
  intents: number;
}

/** The fake gateway: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats and their ACKs, dispatch. */
export interface FakeGateway {
  /** Sends an event to every identified session. */
  dispatch(t: string, d: unknown): void;
  /** Identified sessions now open. */
  sessions(): number;
  /** Heartbeats received (all sessions). */
  heartbeats(): number;
  /** Asks every session to reconnect (op 7), as Discord does before a restart of its gateway. */
  requestReconnect(): void;
  /** Sessions identified since the start (a reconnect that had to identify again counts). */
  identifies(): number;
  /** Resolves when a session is identified and its guilds were sent. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** A guild as GUILD_CREATE sends it, with its channels and the @everyone role. */
export function guildCreatePayload(state: FakeDiscordState, guildId: string): Record<string, unknown> {
  const guild = state.guilds.get(guildId)!;
  const channels = [...state.channels.values()].filter((c) => c.guild_id === guildId);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    owner_id: guild.owner_id,
    unavailable: false,
    member_count: 2,
    large: false,
    joined_at: new Date().toISOString(),
    features: [],
    roles: [
      {
        id: guild.id,
        name: '@everyone',
        permissions: String((1n << 10n) | (1n << 11n)),
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    channels: channels.filter((c) => !c.thread_metadata).map(channelJson),
    threads: channels.filter((c) => c.thread_metadata).map(channelJson),
    members: [{ user: state.bot, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    preferred_locale: guild.locale ?? 'en-US',
    premium_tier: 0,
    system_channel_flags: 0,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
  };
}

/** Serves the gateway on `server` at path /gateway. */
export function createFakeGateway(
  server: http.Server,
  state: FakeDiscordState,
  token: () => string,
  resumeUrl: () => string,
  heartbeatMs = 41_250,
): FakeGateway {
  const wss = new WebSocketServer({ server, path: '/gateway' });
  const sessions = new Set<Session>();
  let beats = 0;
  let identified = 0;
  let waiters: (() => void)[] = [];

  const send = (socket: WebSocket, payload: Record<string, unknown>) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  };
  const dispatchTo = (session: Session, t: string, d: unknown) =>
    send(session.socket, { op: Op.dispatch, t, s: ++session.seq, d });

  wss.on('connection', (socket) => {
    send(socket, { op: Op.hello, d: { heartbeat_interval: heartbeatMs }, s: null, t: null });
    let session: Session | null = null;
    socket.on('message', (raw) => {
      let packet: { op: number; d: Record<string, unknown> | number | null };
      try {
        packet = JSON.parse(String(raw));
      } catch {
        return socket.close(4002, 'Error while decoding payload.');
      }
      if (packet.op === Op.heartbeat) {
        beats++;
        return send(socket, { op: Op.heartbeatAck, d: null, s: null, t: null });
      }
      if (packet.op === Op.identify) {
        const d = packet.d as { token?: string; intents?: number };
        if (String(d.token ?? '').replace(/^Bot /, '') !== token()) return socket.close(4004, 'Authentication failed.');
        if (session) return socket.close(4005, 'Already authenticated.');
        session = { socket, id: randomBytes(16).toString('hex'), seq: 0, intents: Number(d.intents ?? 0) };
        sessions.add(session);
        identified++;
        const guilds = [...state.guilds.keys()];
        dispatchTo(session, 'READY', {
          v: 10,
          user: state.bot,
          guilds: guilds.map((id) => ({ id, unavailable: true })),
          session_id: session.id,
          resume_gateway_url: resumeUrl(),
          shard: [0, 1],
          application: { id: state.applicationId, flags: 0 },
          private_channels: [],
          presences: [],
          relationships: [],
          user_settings: {},
          guild_join_requests: [],
          geo_ordered_rtc_regions: [],
        });
        for (const id of guilds) dispatchTo(session, 'GUILD_CREATE', guildCreatePayload(state, id));
        const ready = waiters;
        waiters = [];
        for (const w of ready) w();
        return;
      }
      if (packet.op === Op.resume) {
        // The fake keeps no event backlog: a resume is refused, and the client identifies anew.
        return send(socket, { op: Op.invalidSession, d: false, s: null, t: null });
      }
    });
    socket.on('close', () => {
      if (session) sessions.delete(session);
    });
  });

  return {
    dispatch(t, d) {
      for (const s of sessions) dispatchTo(s, t, d);
    },
    sessions: () => sessions.size,
    identifies: () => identified,
    requestReconnect() {
      for (const s of sessions) send(s.socket, { op: Op.reconnect, d: null, s: null, t: null });
    },
    heartbeats: () => beats,
    ready: () => (sessions.size > 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    async close() {
      for (const s of sessions) s.socket.terminate();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
