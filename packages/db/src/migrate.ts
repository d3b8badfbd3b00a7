import { sql, type Kysely } from 'kysely';
import { configError } from '@ates/errors';

/** A forward-only migration. Released migrations never change; a change is a new file. */
export interface Migration {
  readonly name: string;
  // Migrations see the schema as it was when they were written, not today's types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly up: (db: Kysely<any>) => Promise<void>;
}

export interface MigrationResult {
  readonly applied: readonly string[];
}

/**
 * Applies the migrations the database has not seen, each in its own transaction, while holding a
 * session advisory lock, so that two instances starting at once apply each migration once.
 * `lockKey` namespaces the lock (several services may share a server).
 */
export const migrate = async (
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  migrations: readonly Migration[],
  lockKey: string,
): Promise<MigrationResult> =>
  db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext(${`ates:migrate:${lockKey}`}))`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        name text primary key,
        applied_at timestamptz not null default now()
      )`.execute(conn);
      const rows = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(conn);
      const done = new Set(rows.rows.map((r) => r.name));
      const known = new Set(migrations.map((m) => m.name));
      const unknown = [...done].filter((n) => !known.has(n));
      if (unknown.length > 0) {
        throw configError(
          `The database has migrations this code does not know (${unknown.join(', ')}): it belongs to a newer version.`,
        );
      }
      const applied: string[] = [];
      for (const migration of migrations) {
        if (done.has(migration.name)) continue;
        await conn.transaction().execute(async (tx) => {
          await migration.up(tx);
          await sql`insert into schema_migrations (name) values (${migration.name})`.execute(tx);
        });
        applied.push(migration.name);
      }
      return { applied };
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${`ates:migrate:${lockKey}`}))`.execute(conn);
    }
  });
