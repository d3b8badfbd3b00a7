import type { JSONWebKeySet } from 'jose';
import { sql, type Kysely } from 'kysely';
import type { JwksStore } from './remote-jwks.js';

/**
 * Keeps the last good JWKS in the service's own database, one row per JWKS URL, so that a
 * service that restarts while the auth service is down still verifies the tokens already issued
 * (REQUIREMENTS U3). A database rather than a file: every instance of a service shares it, and it
 * survives containers being replaced.
 *
 * The table is this package's own cache — nothing in it cannot be fetched again — so the store
 * creates it itself (`create table if not exists`, serialised by an advisory lock) instead of
 * asking every service for a migration.
 */
// Any service's database: the store only touches its own table.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export const jwksCacheTable = 'token_verifier_jwks';

export const pgJwksStore = (db: AnyDb, jwksUrl: string): JwksStore => {
  let ready: Promise<void> | undefined;
  const ensureTable = (): Promise<void> =>
    (ready ??= db
      .transaction()
      .execute(async (tx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${jwksCacheTable}))`.execute(tx);
        await sql`
          create table if not exists token_verifier_jwks (
            jwks_url text primary key,
            jwks jsonb not null,
            fetched_at timestamptz not null
          )`.execute(tx);
      })
      .catch((error: unknown) => {
        ready = undefined;
        throw error;
      }));

  return {
    load: async () => {
      await ensureTable();
      const result = await sql<{
        jwks: JSONWebKeySet;
      }>`select jwks from token_verifier_jwks where jwks_url = ${jwksUrl}`.execute(db);
      return result.rows[0]?.jwks;
    },
    save: async (jwks) => {
      await ensureTable();
      await sql`
        insert into token_verifier_jwks (jwks_url, jwks, fetched_at) values (${jwksUrl}, ${JSON.stringify(jwks)}::jsonb, now())
        on conflict (jwks_url) do update set jwks = excluded.jwks, fetched_at = excluded.fetched_at`.execute(db);
    },
  };
};
