import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { Logger } from '@ates/logger';
import type { AccountStanding, AccountStandings } from '@ates/token-verifier';

/**
 * The standing of the accounts in a service's own copy (`accounts`), for the token verifier: a
 * deactivated account is refused and a role change applies on the very next request, not when the
 * access token expires (docs/security.md).
 *
 * Every request asks, so the answers are kept in memory — but a service runs as several processes,
 * and the one whose consumer applied an event is not necessarily the one serving the request. So
 * the table tells every process itself: a trigger NOTIFYs `ates_account_changed` with the account's
 * id on every insert, update or delete (and with nothing on a truncate), and each process LISTENs
 * on a connection of its own and forgets what it kept about that account. While that connection is
 * down, nothing is kept: every request reads the table (one primary-key lookup) until it is back.
 *
 * The trigger is created by this package when a service starts (idempotently, serialised by an
 * advisory lock), like the token verifier's key cache: it belongs to the table this package defines.
 */
export interface ReplicaStandingsOptions {
  // The service's database, whatever its other tables.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  /** The same database, for the LISTEN connection. */
  readonly databaseUrl: string;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  /** Most accounts kept in memory; past it, the cache starts over. Default 50 000. */
  readonly maxEntries?: number;
}

export interface ReplicaStandings extends AccountStandings {
  /** Whether answers are being kept (the LISTEN connection is up). */
  listening(): boolean;
  /**
   * Calls `listener` whenever something kept from `accounts` may be out of date: on every
   * change notification, and when the LISTEN connection is lost or back. For other copies kept
   * from the table (the tracker's eligible assignees), which are safe to keep while `listening()`.
   */
  onChange(listener: () => void): void;
  /** Resolves once answers are being kept (for tests and start-up checks). */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

export const accountChangedChannel = 'ates_account_changed';

/** Creates the NOTIFY trigger on `accounts` if it is missing. */
export const ensureAccountChangeNotifications = async (db: Kysely<unknown>): Promise<void> => {
  await db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('ates:account-replica:notify'))`.execute(tx);
    await sql`
      create or replace function ates_notify_account_changed() returns trigger language plpgsql as $$
      begin
        perform pg_notify(${sql.lit(accountChangedChannel)}, case when tg_op = 'TRUNCATE' then '' when tg_op = 'DELETE' then old.public_id::text else new.public_id::text end);
        return null;
      end $$`.execute(tx);
    await sql`
      do $$ begin
        if not exists (select 1 from pg_trigger where tgname = 'accounts_notify_changed' and tgrelid = 'accounts'::regclass) then
          create trigger accounts_notify_changed after insert or update or delete on accounts
            for each row execute function ates_notify_account_changed();
          create trigger accounts_notify_truncated after truncate on accounts
            for each statement execute function ates_notify_account_changed();
        end if;
      end $$`.execute(tx);
  });
};

interface Row {
  role: string | null;
  active: boolean;
  role_version: number;
  active_version: number;
}

const standingOf = (row: Row | undefined): AccountStanding | undefined =>
  row && {
    role: row.role as AccountStanding['role'],
    active: row.active,
    roleVersion: row.role_version,
    activeVersion: row.active_version,
  };

const retryDelaysMs = [500, 1_000, 2_000, 5_000, 10_000];

export const replicaStandings = (options: ReplicaStandingsOptions): ReplicaStandings => {
  const maxEntries = options.maxEntries ?? 50_000;
  const cache = new Map<string, AccountStanding | undefined>();
  let client: pg.Client | undefined;
  let stopped = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  // Bumped by every notification: an answer read while one arrived may be older than it, so it is
  // not kept.
  let changes = 0;
  let isListening = false;
  let becameReady: () => void = () => undefined;
  let readyPromise = new Promise<void>((resolve) => (becameReady = resolve));

  const listeners: Array<() => void> = [];
  const changed = () => {
    changes += 1;
    for (const listener of listeners) listener();
  };
  const forgetAll = () => {
    changed();
    cache.clear();
  };

  const lost = (connection: pg.Client, error?: unknown) => {
    if (client !== connection) return;
    client = undefined;
    isListening = false;
    forgetAll();
    readyPromise = new Promise<void>((resolve) => (becameReady = resolve));
    void connection.end().catch(() => undefined);
    if (stopped) return;
    const delay = retryDelaysMs[Math.min(failures, retryDelaysMs.length - 1)] as number;
    failures += 1;
    options.logger.warn(
      { err: error, retryInMs: delay },
      'account change notifications lost; reading accounts from the table until they are back',
    );
    retry = setTimeout(() => void connect(), delay);
    retry.unref();
  };

  const connect = async (): Promise<void> => {
    const connection = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: 'ates-account-standings',
    });
    client = connection;
    connection.on('error', (error) => lost(connection, error));
    connection.on('end', () => lost(connection));
    connection.on('notification', (message) => {
      if (message.channel !== accountChangedChannel) return;
      changed();
      if (message.payload) cache.delete(message.payload);
      else cache.clear();
    });
    try {
      await ensureAccountChangeNotifications(options.db);
      await connection.connect();
      await connection.query(`listen ${accountChangedChannel}`);
    } catch (error) {
      lost(connection, error);
      return;
    }
    if (client !== connection || stopped) return;
    // Anything kept before this point may have missed a notification.
    forgetAll();
    failures = 0;
    isListening = true;
    becameReady();
  };

  const lookup = async (accountId: string): Promise<AccountStanding | undefined> =>
    standingOf(
      await options.db
        .selectFrom('accounts')
        .select(['role', 'active', 'role_version', 'active_version'])
        .where('public_id', '=', accountId)
        .executeTakeFirst(),
    );

  void connect();

  return {
    of: async (accountId) => {
      if (isListening && cache.has(accountId)) return cache.get(accountId);
      const before = changes;
      const standing = await lookup(accountId);
      if (isListening && changes === before) {
        if (cache.size >= maxEntries) cache.clear();
        cache.set(accountId, standing);
      }
      return standing;
    },
    listening: () => isListening,
    onChange: (listener) => void listeners.push(listener),
    ready: () => readyPromise,
    stop: async () => {
      stopped = true;
      clearTimeout(retry);
      const connection = client;
      client = undefined;
      isListening = false;
      await connection?.end().catch(() => undefined);
    },
  };
};

/**
 * The one line a service's `setup` needs: standings of its own `accounts` copy, stopped with the
 * service. `serviceTokenVerifier({ config, db, logger, accounts: serviceAccountStandings(ctx) })`.
 */
export const serviceAccountStandings = (ctx: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  readonly config: { readonly DATABASE_URL: string };
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  onStop(stop: () => Promise<void>): void;
}): ReplicaStandings => {
  const standings = replicaStandings({ db: ctx.db, databaseUrl: ctx.config.DATABASE_URL, logger: ctx.logger });
  ctx.onStop(() => standings.stop());
  return standings;
};
