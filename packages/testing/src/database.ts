import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { withClient, withDatabase } from '@ates/db';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** The superuser URL of the server under test (see global-setup). */
export const testServerUrl = (): string => inject('testDatabaseUrl');

/** A fresh, empty database on the server under test, so test files never see each other's rows. */
export const createTestDatabase = async (prefix = 't'): Promise<TestDatabase> => {
  const server = testServerUrl();
  const name = `ates_test_${prefix}_${randomBytes(5).toString('hex')}`;
  await withClient(server, (c) => c.query(`create database "${name}"`));
  return {
    url: withDatabase(server, name),
    name,
    drop: () =>
      withClient(server, (c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
};
