import { sql, type Kysely, type Transaction } from 'kysely';
import type { Caller } from '@ates/token-verifier';

/** The `dashboard_sessions` table (see migration.ts). */
export interface DashboardSessionsTable {
  id_hash: string;
  status: 'pending' | 'active';
  code_verifier: string | null;
  oauth_state: string | null;
  return_to: string | null;
  account_id: string | null;
  name: string | null;
  email: string | null;
  role: string | null;
  sid: string | null;
  access_token: string | null;
  access_expires_at: Date | null;
  refresh_token: string | null;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
  /** While set and in the future, one request (of any instance) is refreshing the tokens. */
  refresh_claimed_until: Date | null;
}

export interface SessionTables {
  dashboard_sessions: DashboardSessionsTable;
}

// The service's own database, whatever its other tables.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;
export type SessionDb = Kysely<SessionTables> | Transaction<SessionTables>;

export const sessionDb = (db: AnyDb): Kysely<SessionTables> => db as Kysely<SessionTables>;

export interface PendingSession {
  readonly codeVerifier: string;
  readonly state: string;
  readonly returnTo: string;
}

export interface ActiveSession {
  readonly idHash: string;
  readonly viewer: Caller;
  readonly sid: string | null;
  /** Sealed (encrypted). */
  readonly accessToken: string;
  readonly accessExpiresAt: Date;
  /** Sealed (encrypted); null when the provider issued none. */
  readonly refreshToken: string | null;
  readonly csrfToken: string;
  readonly expiresAt: Date;
  /** Until when a request refreshing the tokens holds the session (see `claimRefresh`); null when none does. */
  readonly refreshClaimedUntil?: Date | null;
}

export const insertPending = async (
  db: SessionDb,
  idHash: string,
  pending: PendingSession & { csrfToken: string },
  ttlSeconds: number,
): Promise<void> => {
  await db
    .insertInto('dashboard_sessions')
    .values({
      id_hash: idHash,
      status: 'pending',
      code_verifier: pending.codeVerifier,
      oauth_state: pending.state,
      return_to: pending.returnTo,
      csrf_token: pending.csrfToken,
      expires_at: sql<Date>`now() + make_interval(secs => ${ttlSeconds})`,
    } as never)
    .execute();
};

/** Reads and deletes a pending sign-in (it can be completed once). */
export const takePending = async (db: SessionDb, idHash: string): Promise<PendingSession | undefined> => {
  const row = await db
    .deleteFrom('dashboard_sessions')
    .where('id_hash', '=', idHash)
    .where('status', '=', 'pending')
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['code_verifier', 'oauth_state', 'return_to'])
    .executeTakeFirst();
  if (!row?.code_verifier || !row.oauth_state) return undefined;
  return { codeVerifier: row.code_verifier, state: row.oauth_state, returnTo: row.return_to ?? '/' };
};

const toActive = (row: DashboardSessionsTable): ActiveSession | undefined => {
  if (row.status !== 'active' || !row.account_id || !row.access_token || !row.access_expires_at) return undefined;
  return {
    idHash: row.id_hash,
    viewer: { id: row.account_id, name: row.name ?? '', email: row.email ?? '', role: row.role as Caller['role'] },
    sid: row.sid,
    accessToken: row.access_token,
    accessExpiresAt: row.access_expires_at,
    refreshToken: row.refresh_token,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
    refreshClaimedUntil: row.refresh_claimed_until,
  };
};

export const findActive = async (db: SessionDb, idHash: string): Promise<ActiveSession | undefined> => {
  const row = await db
    .selectFrom('dashboard_sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row ? toActive(row as DashboardSessionsTable) : undefined;
};

/**
 * Claims the refresh of a session whose access token expires within `marginSeconds`: one UPDATE
 * that succeeds for one request at a time, across instances, for `leaseSeconds` (or until the
 * claimer saves or releases). Returns the session when this request got the claim. No lock or
 * transaction is held while the refresh itself goes to the auth service.
 */
export const claimRefresh = async (
  db: SessionDb,
  idHash: string,
  marginSeconds: number,
  leaseSeconds: number,
): Promise<ActiveSession | undefined> => {
  const row = await db
    .updateTable('dashboard_sessions')
    .set({ refresh_claimed_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})` })
    .where('id_hash', '=', idHash)
    .where('status', '=', 'active')
    .where('expires_at', '>', sql<Date>`now()`)
    .where('access_expires_at', '<', sql<Date>`now() + make_interval(secs => ${marginSeconds})`)
    .where((eb) => eb.or([eb('refresh_claimed_until', 'is', null), eb('refresh_claimed_until', '<', sql<Date>`now()`)]))
    .returningAll()
    .executeTakeFirst();
  return row ? toActive(row as DashboardSessionsTable) : undefined;
};

/** Gives a claim back without new tokens (the refresh could not be done now). */
export const releaseRefresh = async (db: SessionDb, idHash: string): Promise<void> => {
  await db
    .updateTable('dashboard_sessions')
    .set({ refresh_claimed_until: null })
    .where('id_hash', '=', idHash)
    .execute();
};

export const insertActive = async (db: SessionDb, session: ActiveSession): Promise<void> => {
  await db
    .insertInto('dashboard_sessions')
    .values({
      id_hash: session.idHash,
      status: 'active',
      account_id: session.viewer.id,
      name: session.viewer.name,
      email: session.viewer.email,
      role: session.viewer.role,
      sid: session.sid,
      access_token: session.accessToken,
      access_expires_at: session.accessExpiresAt,
      refresh_token: session.refreshToken,
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt,
    } as never)
    .execute();
};

export const updateTokens = async (
  db: SessionDb,
  idHash: string,
  tokens: { viewer: Caller; accessToken: string; accessExpiresAt: Date; refreshToken: string | null },
): Promise<void> => {
  await db
    .updateTable('dashboard_sessions')
    .set({
      account_id: tokens.viewer.id,
      name: tokens.viewer.name,
      email: tokens.viewer.email,
      role: tokens.viewer.role,
      access_token: tokens.accessToken,
      access_expires_at: tokens.accessExpiresAt,
      ...(tokens.refreshToken === null ? {} : { refresh_token: tokens.refreshToken }),
      refresh_claimed_until: null,
    })
    .where('id_hash', '=', idHash)
    .execute();
};

export const deleteSession = async (db: SessionDb, idHash: string): Promise<void> => {
  await db.deleteFrom('dashboard_sessions').where('id_hash', '=', idHash).execute();
};

/** Deletes every session of an account, or of a provider session id (back-channel logout). */
export const deleteSessionsOf = async (db: SessionDb, by: { accountId?: string; sid?: string }): Promise<number> => {
  let query = db.deleteFrom('dashboard_sessions');
  if (by.sid) query = query.where('sid', '=', by.sid);
  else if (by.accountId) query = query.where('account_id', '=', by.accountId);
  else return 0;
  return Number((await query.executeTakeFirst()).numDeletedRows);
};

export const purgeExpiredSessions = async (db: SessionDb): Promise<number> =>
  Number(
    (
      await db
        .deleteFrom('dashboard_sessions')
        .where('expires_at', '<=', sql<Date>`now()`)
        .executeTakeFirst()
    ).numDeletedRows,
  );
