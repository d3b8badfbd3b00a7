import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { withDatabase } from '@ates/db';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

const admin = async <T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

/** The superuser URL of the server under test (see global-setup). */
export const testServerUrl = (): string => inject('testDatabaseUrl');

/** A fresh, empty database on the server under test, so test files never see each other's rows. */
export const createTestDatabase = async (prefix = 't'): Promise<TestDatabase> => {
  const server = testServerUrl();
  const name = `ates_test_${prefix}_${randomBytes(5).toString('hex')}`;
  await admin(server, (c) => c.query(`create database "${name}"`));
  return {
    url: withDatabase(server, name),
    name,
    drop: () => admin(server, (c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
};
