import { sql, type Kysely } from 'kysely';

/**
 * A fingerprint of a service's data, to prove that a refused request changed nothing: a checksum
 * of every row of every table, except tables others write to on their own schedule. Tables whose
 * rows change in the background but must not grow (the outbox, whose rows the relay deletes past their retention)
 * are fingerprinted by their row count and newest position only.
 */
export interface FingerprintOptions {
  /** Written in the background, whatever requests do: key caches, housekeeping. */
  readonly exclude?: readonly string[];
  /** Counted, not checksummed: their rows change in the background, their number must not. */
  readonly countOnly?: readonly string[];
}

// The service's database, whatever its tables.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export const tableFingerprint = (db: AnyDb, options: FingerprintOptions = {}) => {
  let tables: Promise<string[]> | undefined;
  const listTables = () =>
    (tables ??= sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`
      .execute(db)
      .then(({ rows }) => rows.map((r) => r.name).filter((n) => !(options.exclude ?? []).includes(n))));
  return async (): Promise<Record<string, string>> => {
    const names = await listTables();
    const columns = names.map((name) =>
      (options.countOnly ?? []).includes(name)
        ? sql`(select count(*)::text from ${sql.table(name)}) as ${sql.ref(name)}`
        : sql`(select count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from ${sql.table(name)} t) as ${sql.ref(name)}`,
    );
    const { rows } = await sql<Record<string, string>>`select ${sql.join(columns)}`.execute(db);
    return rows[0] ?? {};
  };
};
