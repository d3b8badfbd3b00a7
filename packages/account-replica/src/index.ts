import { sql, type Generated, type Kysely, type Transaction } from 'kysely';
import { consumer, type ConsumerDefinition } from '@ates/event-bus';

/**
 * The `accounts` table every service but auth keeps (U2: other services learn about accounts
 * only from events). Events carry different fields (a RoleChanged only the role, a Deactivated
 * only the flag), and may arrive in any order and more than once, so each group of fields keeps
 * the source version it was last written at: a group is overwritten only by a newer version of
 * it. `version` is the newest version seen. Fields no event has carried yet stay null: a
 * Deactivated that overtakes its Created leaves an inactive, nameless row that the late Created
 * names without reviving.
 */
export interface AccountsTable {
  public_id: string;
  email: string | null;
  full_name: string | null;
  role: string | null;
  active: boolean;
  version: number;
  profile_version: Generated<number>;
  role_version: Generated<number>;
  active_version: Generated<number>;
  updated_at: Generated<Date>;
}

export interface AccountReplicaDb {
  accounts: AccountsTable;
}

interface Change {
  readonly publicId: string;
  readonly version: number;
  readonly profile?: { readonly email: string; readonly fullName: string };
  readonly role?: string;
  readonly active?: boolean;
}

type Group = 'profile' | 'role' | 'active';
const columnsOf: Record<Group, readonly string[]> = {
  profile: ['email', 'full_name'],
  role: ['role'],
  active: ['active'],
};

/** `col = newer ? incoming : stored` for each column of a carried group, and its version. */
const assignments = (group: Group, carried: boolean) => {
  if (!carried) return [];
  const stamp = sql.ref(`${group}_version`);
  const newer = sql`accounts.${stamp} < excluded.${stamp}`;
  return [
    ...columnsOf[group].map(
      (c) => sql`${sql.ref(c)} = case when ${newer} then excluded.${sql.ref(c)} else accounts.${sql.ref(c)} end`,
    ),
    sql`${stamp} = greatest(accounts.${stamp}, excluded.${stamp})`,
  ];
};

const apply = async (tx: Transaction<AccountReplicaDb>, change: Change): Promise<void> => {
  const at = (carried: unknown) => (carried === undefined ? 0 : change.version);
  await sql`
    insert into accounts (public_id, email, full_name, role, active, version, profile_version, role_version, active_version, updated_at)
    values (${change.publicId}, ${change.profile?.email ?? null}, ${change.profile?.fullName ?? null}, ${change.role ?? null},
            ${change.active ?? true}, ${change.version}, ${at(change.profile)}, ${at(change.role)}, ${at(change.active)}, now())
    on conflict (public_id) do update set
      ${sql.join([
        ...assignments('profile', change.profile !== undefined),
        ...assignments('role', change.role !== undefined),
        ...assignments('active', change.active !== undefined),
        sql`version = greatest(accounts.version, excluded.version)`,
        sql`updated_at = now()`,
      ])}`.execute(tx);
};

const full = (d: {
  public_id: string;
  version: number;
  email: string;
  full_name: string;
  role: string;
  active: boolean;
}): Change => ({
  publicId: d.public_id,
  version: d.version,
  profile: { email: d.email, fullName: d.full_name },
  role: d.role,
  active: d.active,
});

/** The consumer group `<service>.accounts` that keeps the service's `accounts` table. */
export const accountReplica = <DB extends AccountReplicaDb>(service: string): ConsumerDefinition<DB> =>
  consumer<AccountReplicaDb>({
    name: `${service}.accounts`,
    handlers: {
      'Account.Created': {
        versions: [1],
        handle: (tx, { data }) => apply(tx, full(data)),
      },
      'Account.Updated': {
        versions: [1],
        handle: (tx, { data }) => apply(tx, full(data)),
      },
      'Account.RoleChanged': {
        versions: [1],
        handle: (tx, { data: d }) => apply(tx, { publicId: d.public_id, version: d.version, role: d.new_role }),
      },
      'Account.Deactivated': {
        versions: [1],
        handle: (tx, { data: d }) => apply(tx, { publicId: d.public_id, version: d.version, active: false }),
      },
    },
    // The handlers touch only `accounts`, which every DB that extends AccountReplicaDb has.
  }) as unknown as ConsumerDefinition<DB>;

/**
 * The first shape of the `accounts` table, as every service's first migration created it; later
 * migrations apply `allowPartialAccounts`. A service's migrations delegate to these two, so the
 * copy is defined once, here, and released with the package (neither ever changes).
 */
export const createAccountsTable = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table accounts (
      public_id uuid primary key,
      email text not null,
      full_name text not null,
      role text not null,
      active boolean not null,
      version integer not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
};

/** Lets account fields be unknown until an event carries them, each group with its own version; see `AccountsTable`. */
export const allowPartialAccounts = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    alter table accounts
      alter column email drop not null,
      alter column full_name drop not null,
      alter column role drop not null,
      add column profile_version integer not null default 0,
      add column role_version integer not null default 0,
      add column active_version integer not null default 0`.execute(db);
  await sql`update accounts set profile_version = version, role_version = version, active_version = version`.execute(
    db,
  );
};
