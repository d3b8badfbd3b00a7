import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type { Role } from '@ates/roles';

/** The auth service's tables (migrations/), as Kysely sees them. */
export type AccountsTable = {
  id: Generated<number>;
  public_id: string;
  email: string;
  full_name: string;
  role: Role;
  active: boolean;
  password_hash: string;
  version: number;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
};

export type OidcPayloadsTable = {
  model: string;
  id: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  account_id: string | null;
  expires_at: Date | null;
  consumed_at: Date | null;
};

export type SigningKeysTable = {
  kid: string;
  alg: string;
  private_jwk: ColumnType<Record<string, unknown>, string, string>;
  created_at: Generated<Date>;
  activates_at: ColumnType<Date, Date | undefined, Date>;
  retired_at: Date | null;
  publish_until: Date | null;
};

export type ApplicationsTable = {
  client_id: string;
  name: string;
  secret_hash: string | null;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  backchannel_logout_uri: string | null;
  first_party: boolean;
  configured: boolean;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type SignInFailuresTable = {
  key: string;
  failures: number;
  window_started_at: Date;
};

export type AuthDatabase = {
  accounts: AccountsTable;
  oidc_payloads: OidcPayloadsTable;
  signing_keys: SigningKeysTable;
  applications: ApplicationsTable;
  sign_in_failures: SignInFailuresTable;
};

export type AuthDb = Kysely<AuthDatabase>;
export type AuthTx = Transaction<AuthDatabase>;
