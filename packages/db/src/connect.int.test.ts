import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { createDb, createPool } from './connect.js';

// A connection the server ends while the pool has lent it out (a database restart, a network
// cut): pg emits 'error' on that client, and pg-pool listens only on idle ones. Unheard, the
// event would end the test process with an uncaught exception, which vitest reports as a failure.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('pool');
});
afterAll(() => database?.drop());

const terminate = async (url: string, pid: number): Promise<void> => {
  const admin = createPool(url, { max: 1 });
  try {
    await admin.query('select pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
};

describe('createPool', () => {
  it('survives the server ending a connection that is checked out between two queries', async () => {
    const pool = createPool(database.url, { max: 2 });
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    await terminate(database.url, rows[0]?.pid as number);
    // The termination reaches the idle, checked-out client as an error event first.
    await expect(client.query('select 1')).rejects.toThrow();
    client.release(true);
    expect((await pool.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await pool.end();
  });

  it('fails only the transaction whose connection is ended, and serves the next one', async () => {
    const db = createDb(createPool(database.url, { max: 2 }));
    const failed = db.transaction().execute(async (tx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
      await terminate(database.url, rows[0]?.pid as number);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await sql`select 1`.execute(tx);
    });
    await expect(failed).rejects.toThrow();
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
    await db.destroy();
  });
});
