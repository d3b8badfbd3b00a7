import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createDb, createPool, migrate } from '@ates/db';
import { eventBusMigrations } from '@ates/event-bus';
import { newEnvelope, type AnyEvent, type DataOf } from '@ates/schema-registry';
import { createTestDatabase } from '@ates/testing';
import { migrations } from '../../migrations/index.js';
import type { AnalyticsDb } from '../db.js';

// What analytics' tests share: a migrated database of its own, and accounting's and the
// tracker's events as they would publish them.

export const utc = { timeZone: 'UTC', dayEndMinutes: 1440 } as const;

export interface TestAnalyticsDb {
  readonly db: Kysely<AnalyticsDb>;
  readonly url: string;
  close(): Promise<void>;
}

export const freshAnalyticsDb = async (poolSize = 4): Promise<TestAnalyticsDb> => {
  const database = await createTestDatabase('analytics');
  const db = createDb<AnalyticsDb>(createPool(database.url, { max: poolSize }));
  await migrate(db, [...eventBusMigrations, ...migrations], 'analytics');
  return {
    db,
    url: database.url,
    close: async () => {
      await db.destroy();
      await database.drop();
    },
  };
};

export const newId = (): string => randomUUID();

export const transactionApplied = (data: DataOf<'Transaction.Applied', 1>): AnyEvent =>
  newEnvelope('Transaction.Applied', 1, data, { producer: 'accounting' });

export const payoutMade = (data: DataOf<'Payout.Made', 1>): AnyEvent =>
  newEnvelope('Payout.Made', 1, data, { producer: 'accounting' });

export const dayClosed = (data: DataOf<'BusinessDay.Closed', 1>): AnyEvent =>
  newEnvelope('BusinessDay.Closed', 1, data, { producer: 'accounting' });

export const taskPriced = (taskId: string, fee: number, reward: number, at: Date): AnyEvent =>
  newEnvelope(
    'Task.Priced',
    1,
    { task_id: taskId, assignment_fee: fee, completion_reward: reward, priced_at: at.toISOString() },
    { producer: 'accounting' },
  );

/** Task.Created as the tracker publishes it today (v2), or as it did before T6 (v1, the Jira id in the title). */
export const taskCreated = (
  task: { readonly id: string; readonly title: string; readonly jiraId: string | null; readonly assigneeId: string },
  at: Date,
  version: 1 | 2 = 2,
): AnyEvent => {
  const common = { public_id: task.id, description: '', status: 'open' as const, assignee_id: task.assigneeId };
  return version === 2
    ? newEnvelope(
        'Task.Created',
        2,
        { ...common, title: task.title, jira_id: task.jiraId, created_at: at.toISOString() },
        { producer: 'tracker' },
      )
    : newEnvelope(
        'Task.Created',
        1,
        {
          ...common,
          title: task.jiraId === null ? task.title : `[${task.jiraId}] — ${task.title}`,
          created_at: at.toISOString(),
        },
        { producer: 'tracker' },
      );
};

export const taskCompleted = (taskId: string, assigneeId: string, at: Date): AnyEvent =>
  newEnvelope(
    'Task.Completed',
    1,
    { task_id: taskId, assignee_id: assigneeId, completed_at: at.toISOString() },
    { producer: 'tracker' },
  );
