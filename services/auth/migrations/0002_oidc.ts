import { sql, type Kysely } from 'kysely';

// What the OpenID Connect provider keeps (REQUIREMENTS U1): everything survives a restart and is
// shared by every instance of the auth service; nothing lives only in memory.
export const up = async (db: Kysely<unknown>): Promise<void> => {
  // Every oidc-provider model (Session, Grant, AuthorizationCode, RefreshToken, Interaction, …)
  // in one table, keyed by (model, id). The indexed columns are copies of payload fields that the
  // provider looks rows up by; expired rows are purged by the service.
  await sql`
    create table oidc_payloads (
      model text not null,
      id text not null,
      payload jsonb not null,
      grant_id text,
      uid text,
      user_code text,
      account_id text,
      expires_at timestamptz,
      consumed_at timestamptz,
      primary key (model, id)
    )`.execute(db);
  await sql`create index oidc_payloads_grant_id on oidc_payloads (grant_id) where grant_id is not null`.execute(db);
  await sql`create unique index oidc_payloads_uid on oidc_payloads (model, uid) where uid is not null`.execute(db);
  await sql`create unique index oidc_payloads_user_code on oidc_payloads (model, user_code) where user_code is not null`.execute(
    db,
  );
  await sql`create index oidc_payloads_account_id on oidc_payloads (account_id) where account_id is not null`.execute(
    db,
  );
  await sql`create index oidc_payloads_expires_at on oidc_payloads (expires_at) where expires_at is not null`.execute(
    db,
  );

  // Token signing keys (private JWKs). A key is published from its creation; it signs from
  // `activates_at` until `retired_at` (when the next key activates), and stays published until
  // `publish_until`, when every token it signed has expired. At most one key has no retirement
  // planned: the newest.
  await sql`
    create table signing_keys (
      kid text primary key,
      alg text not null,
      private_jwk jsonb not null,
      created_at timestamptz not null default now(),
      activates_at timestamptz not null default now(),
      retired_at timestamptz,
      publish_until timestamptz,
      constraint signing_keys_retirement check ((retired_at is null) = (publish_until is null))
    )`.execute(db);
  await sql`create unique index signing_keys_newest on signing_keys ((true)) where retired_at is null`.execute(db);

  // OAuth applications (clients). A confidential one keeps only a hash of its secret.
  await sql`
    create table applications (
      client_id text primary key,
      name text not null,
      secret_hash text,
      redirect_uris text[] not null,
      post_logout_redirect_uris text[] not null default '{}',
      backchannel_logout_uri text,
      first_party boolean not null default false,
      configured boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint applications_redirect_uris_present check (cardinality(redirect_uris) > 0)
    )`.execute(db);

  // Failed sign-ins per account (by a hash of the email typed, whether or not such an account
  // exists) and per client address, in fixed windows: the rate limit survives restarts and holds
  // across instances.
  await sql`
    create table sign_in_failures (
      key text primary key,
      failures integer not null,
      window_started_at timestamptz not null
    )`.execute(db);
};
