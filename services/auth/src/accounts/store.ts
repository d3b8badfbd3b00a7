import { sql, type Kysely } from 'kysely';
import type { AuthDatabase } from '../db.js';
import type { Account } from './account.js';

// Reads and writes of the accounts table. `db` is either the pool or a transaction.
type Db = Kysely<AuthDatabase>;

const accountColumns = [
  'public_id',
  'email',
  'full_name',
  'role',
  'active',
  'version',
  'created_at',
  'updated_at',
] as const;

export const findAccount = async (
  db: Db,
  publicId: string,
  options: { forUpdate?: boolean } = {},
): Promise<Account | undefined> => {
  const query = db.selectFrom('accounts').select(accountColumns).where('public_id', '=', publicId);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
};

/** The account and its password hash, by email (any case); for signing in. */
export const findCredentials = async (
  db: Db,
  email: string,
): Promise<{ account: Account; password_hash: string } | undefined> => {
  const row = await db
    .selectFrom('accounts')
    .select([...accountColumns, 'password_hash'])
    .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst();
  if (!row) return undefined;
  const { password_hash, ...account } = row;
  return { account, password_hash };
};

/** Whether an account other than `exceptPublicId` has `email` (already normalised). */
export const emailTaken = async (db: Db, email: string, exceptPublicId?: string): Promise<boolean> => {
  let query = db
    .selectFrom('accounts')
    .select('public_id')
    .where(sql<string>`lower(email)`, '=', email);
  if (exceptPublicId) query = query.where('public_id', '<>', exceptPublicId);
  return (await query.executeTakeFirst()) !== undefined;
};

export const countActiveAdmins = async (db: Db): Promise<number> => {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

export const countAccounts = async (db: Db): Promise<number> => {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

export const insertAccount = async (db: Db, account: Account, passwordHash: string): Promise<void> => {
  await db
    .insertInto('accounts')
    .values({
      public_id: account.public_id,
      email: account.email,
      full_name: account.full_name,
      role: account.role,
      active: account.active,
      password_hash: passwordHash,
      version: account.version,
      created_at: account.created_at,
      updated_at: account.updated_at,
    })
    .execute();
};

/**
 * Saves `account` over the row at `account.version - 1`. Returns false when the row has moved on
 * meanwhile (the caller holds the row lock, so that would be a bug, not a race to retry).
 */
export const updateAccount = async (db: Db, account: Account): Promise<boolean> => {
  const result = await db
    .updateTable('accounts')
    .set({
      email: account.email,
      full_name: account.full_name,
      role: account.role,
      active: account.active,
      version: account.version,
      updated_at: account.updated_at,
    })
    .where('public_id', '=', account.public_id)
    .where('version', '=', account.version - 1)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
};

export const setPasswordHash = async (db: Db, publicId: string, passwordHash: string): Promise<boolean> => {
  const result = await db
    .updateTable('accounts')
    .set({ password_hash: passwordHash })
    .where('public_id', '=', publicId)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
};

export interface AccountPage {
  readonly items: readonly Account[];
  readonly total: number;
}

const likePattern = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One page of accounts, by name then id, optionally only those whose email or name contains `q`
 * (any case). A company of thousands of popugs makes this a scan of a small table; a trigram
 * index would be the next step past that.
 */
export const listAccounts = async (
  db: Db,
  options: { q?: string; page: number; perPage: number },
): Promise<AccountPage> => {
  let query = db.selectFrom('accounts');
  const q = options.q?.trim();
  if (q) {
    const pattern = likePattern(q);
    query = query.where((eb) => eb.or([eb('email', 'ilike', pattern), eb('full_name', 'ilike', pattern)]));
  }
  const [items, count] = await Promise.all([
    query
      .select(accountColumns)
      .orderBy(sql`lower(full_name)`)
      .orderBy('id')
      .limit(options.perPage)
      .offset((options.page - 1) * options.perPage)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
};
