import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';

export interface UpsertIfNewerOptions<Row> {
  /** The columns that identify the row (a primary key or unique constraint), e.g. ['public_id']. */
  readonly key: readonly (keyof Row & string)[];
  /**
   * The column that orders versions of the row: the source's row version, or a timestamp of
   * the change. The row is written only when the incoming value is greater than the stored one.
   */
  readonly version: keyof Row & string;
}

/**
 * The out-of-order-tolerant write for a replica fed by CUD events: insert the row, or overwrite
 * the stored one only if the incoming version is newer. Created/Updated/Deleted events can then
 * arrive in any order, and more than once, and the replica ends at the newest state:
 *
 *   an Updated (v2) that overtook its Created (v1) inserts the row at v2; the late Created is
 *   ignored; a replayed v2 changes nothing.
 *
 * Deletions fit by upserting a tombstone (`deleted = true` with its version) instead of deleting.
 * Returns true when the row was written, false when the stored version was as new or newer.
 */
export const upsertIfNewer = async <DB, T extends keyof DB & string>(
  db: Kysely<DB> | Transaction<DB>,
  table: T,
  row: NoInfer<Insertable<DB[T]>>,
  options: NoInfer<UpsertIfNewerOptions<DB[T]>>,
): Promise<boolean> => {
  const columns = Object.keys(row as object).filter((c) => (row as Record<string, unknown>)[c] !== undefined);
  if (!columns.includes(options.version)) throw new Error(`upsertIfNewer(${table}): the row has no ${options.version}`);
  const updated = columns.filter((c) => !options.key.includes(c as keyof DB[T] & string));
  const values = columns.map((c) => (row as Record<string, unknown>)[c]);
  const result = await sql`
    insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
    values (${sql.join(values)})
    on conflict (${sql.join(options.key.map((c) => sql.ref(c)))})
    do update set ${sql.join(updated.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}
    where ${sql.ref(`${table}.${options.version}`)} < excluded.${sql.ref(options.version)}
    returning 1`.execute(db);
  return result.rows.length === 1;
};
