import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createDb, createPool, migrate } from '@ates/db';
import { eventBusMigrations, type ConsumerDefinition } from '@ates/event-bus';
import { deliverToGroups } from '@ates/event-bus/testing';
import { newEnvelope, type AnyEvent } from '@ates/schema-registry';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { migrations } from '../../migrations/index.js';
import type { AccountingDb } from '../db.js';

// What accounting's integration tests share: a migrated database of their own, and the tracker's
// events as the tracker would publish them.

export const utc = { timeZone: 'UTC', dayEndMinutes: 1440 } as const;

export interface TestAccountingDb {
  readonly db: Kysely<AccountingDb>;
  readonly url: string;
  close(): Promise<void>;
}

export const freshAccountingDb = async (poolSize = 4): Promise<TestAccountingDb> => {
  const database: TestDatabase = await createTestDatabase('accounting');
  const db = createDb<AccountingDb>(createPool(database.url, { max: poolSize }));
  await migrate(db, [...eventBusMigrations, ...migrations], 'accounting');
  return {
    db,
    url: database.url,
    close: async () => {
      await db.destroy();
      await database.drop();
    },
  };
};

export const assigned = (taskId: string, assigneeId: string, at: Date, previous: string | null = null): AnyEvent =>
  newEnvelope(
    'Task.Assigned',
    1,
    { task_id: taskId, assignee_id: assigneeId, previous_assignee_id: previous, assigned_at: at.toISOString() },
    { producer: 'tracker' },
  );

export const completed = (taskId: string, assigneeId: string, at: Date): AnyEvent =>
  newEnvelope(
    'Task.Completed',
    1,
    { task_id: taskId, assignee_id: assigneeId, completed_at: at.toISOString() },
    { producer: 'tracker' },
  );

export const created = (taskId: string, assigneeId: string, at: Date, title = 'Refill the millet'): AnyEvent =>
  newEnvelope(
    'Task.Created',
    2,
    {
      public_id: taskId,
      title,
      jira_id: null,
      description: 'It squeaks when empty.',
      status: 'open',
      assignee_id: assigneeId,
      created_at: at.toISOString(),
    },
    { producer: 'tracker' },
  );

export const newId = (): string => randomUUID();

/**
 * Hands `events` to a consumer as ONE batch, exactly as the transport would after a claim: each
 * validated, the fresh ones applied together (through `applyBatch` when it has one), duplicates
 * skipped by the inbox.
 */
export const deliverBatch = <DB>(
  db: Kysely<DB>,
  definition: ConsumerDefinition<DB>,
  events: readonly AnyEvent[],
): Promise<void> => deliverToGroups(db, [definition]).deliver(events);
