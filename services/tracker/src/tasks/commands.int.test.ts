import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createDb, createPool, migrate } from '@ates/db';
import { isAppError } from '@ates/errors';
import { eventBusMigrations } from '@ates/event-bus';
import { outboxEvents, watchOutbox } from '@ates/event-bus/testing';
import { replicaStandings, type ReplicaStandings } from '@ates/account-replica';
import { createTestDatabase, eventually, type TestDatabase } from '@ates/testing';
import type { TrackerDb } from '../db.js';
import { migrations } from '../../migrations/index.js';
import { keptAssignees } from './assignees.js';
import { completeTask, createTask, reassignAll } from './commands.js';

let database: TestDatabase;
let db: Kysely<TrackerDb>;

const workers: string[] = Array.from({ length: 10 }, () => randomUUID());
const accountant = randomUUID();
const manager = randomUUID();
const admin = randomUUID();
const inactiveWorker = randomUUID();
const eligible = new Set<string>([...workers, accountant]);
const asManager = { id: manager, role: 'manager' } as const;
const asWorker = (id: string) => ({ id, role: 'worker' }) as const;

const addAccount = (publicId: string, role: string, active = true) =>
  db
    .insertInto('accounts')
    .values({
      public_id: publicId,
      email: `${publicId}@uberpopug.example`,
      full_name: publicId,
      role,
      active,
      version: 1,
    })
    .execute();

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: unknown) => (isAppError(error) ? error.code : String(error)),
  );

const newTask = (title = 'Change the green of the button') => ({
  title,
  jiraId: 'UBERPOP-42',
  description: 'Marketing wants a greener green.',
});

let standings: ReplicaStandings;
/** Assignees kept in memory, as the service keeps them (fresh by the accounts' notifications). */
const kept = () => keptAssignees(db, standings);

beforeAll(async () => {
  database = await createTestDatabase('tracker');
  db = createDb<TrackerDb>(createPool(database.url, { max: 8 }));
  await migrate(db, [...eventBusMigrations, ...migrations], 'tracker');
  standings = replicaStandings({
    db,
    databaseUrl: database.url,
    logger: { info: () => undefined, warn: () => undefined },
  });
  await standings.ready();
});
afterAll(async () => {
  await standings.stop();
  await db.destroy();
  await database.drop();
});
beforeEach(async () => {
  await sql`truncate accounts, tasks, outbox`.execute(db);
});

describe('create task (T3)', () => {
  it('refuses with "no eligible assignee" and saves nothing when only managers, admins and inactive workers exist', async () => {
    await addAccount(manager, 'manager');
    await addAccount(admin, 'admin');
    await addAccount(inactiveWorker, 'worker', false);
    await expect(createTask(db, newTask(), asManager)).rejects.toMatchObject({ code: 'task.no_eligible_assignee' });
    expect(await db.selectFrom('tasks').selectAll().execute()).toEqual([]);
    expect(await outboxEvents(db)).toEqual([]);
  });

  it('saves the task and publishes Task.Created v2 and Task.Assigned in the same transaction', async () => {
    await addAccount(workers[0] as string, 'worker');
    const published = await watchOutbox(db);
    const task = await createTask(db, newTask(), asManager);
    expect(task.assignee_id).toBe(workers[0]);
    expect(await published.events()).toMatchObject([
      {
        event_name: 'Task.Created',
        event_version: 2,
        data: { public_id: task.public_id, jira_id: 'UBERPOP-42', title: 'Change the green of the button' },
      },
      { event_name: 'Task.Assigned', event_version: 1, data: { task_id: task.public_id, assignee_id: workers[0] } },
    ]);
  });

  it.each(['the table', 'memory'] as const)(
    'assigns uniformly at random among eligible accounts drawn from %s: 10,000 creations pass a chi-square test, managers and admins never chosen',
    async (from) => {
      for (const w of workers) await addAccount(w, 'worker');
      await addAccount(manager, 'manager');
      await addAccount(admin, 'admin');
      await addAccount(inactiveWorker, 'worker', false);
      const creations = 10_000;
      const concurrency = 8;
      const deps = from === 'memory' ? { assignees: kept() } : {};
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = 0; i < creations / concurrency; i += 1)
            await createTask(db, newTask(`Task ${i}`), asManager, deps);
        }),
      );
      const counts = await db
        .selectFrom('tasks')
        .select(['assignee_id', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('assignee_id')
        .execute();
      expect(counts.map((c) => c.assignee_id).sort()).toEqual([...workers].sort());
      const expected = creations / workers.length;
      const chiSquare = counts.reduce((sum, c) => sum + (Number(c.n) - expected) ** 2 / expected, 0);
      // 9 degrees of freedom: P(χ² > 45) = 9.2e-7, so a uniform draw fails this less than once in a
      // million runs, while one account drawn 30 % more often than the others already scores ≈ 76.
      expect(chiSquare).toBeLessThan(45);
    },
  );

  it('draws again from the table when the drawn account is no longer eligible, and saves nothing for the stale draw', async () => {
    await addAccount(workers[0] as string, 'worker');
    await addAccount(inactiveWorker, 'worker', false);
    let forgotten = 0;
    const stale = { draw: async () => inactiveWorker, forget: () => void (forgotten += 1) };
    let draws = 0;
    // Stale once (as a kept list is for a moment after a deactivation), then right.
    const pool = {
      draw: async () => (draws++ === 0 ? stale.draw() : (workers[0] as string)),
      forget: stale.forget,
    };
    const published = await watchOutbox(db);
    const task = await createTask(db, newTask(), asManager, { assignees: pool });
    expect(task.assignee_id).toBe(workers[0]);
    expect(forgotten).toBe(1);
    expect(await db.selectFrom('tasks').select('assignee_id').execute()).toEqual([{ assignee_id: workers[0] }]);
    expect((await published.events()).map((e) => e.event_name)).toEqual(['Task.Created', 'Task.Assigned']);
  });

  it('keeps assignees in memory only while notified of changes: a deactivation or a new worker counts on the next draw', async () => {
    await addAccount(workers[0] as string, 'worker');
    const pool = kept();
    expect(await pool.draw()).toBe(workers[0]);
    await db
      .updateTable('accounts')
      .set({ active: false })
      .where('public_id', '=', workers[0] as string)
      .execute();
    await eventually('the deactivation noticed', async () => (await pool.draw()) === undefined);
    await addAccount(workers[1] as string, 'worker');
    await eventually('the new worker noticed', async () => (await pool.draw()) === workers[1]);
    await expect(createTask(db, newTask(), asManager, { assignees: pool })).resolves.toMatchObject({
      assignee_id: workers[1],
    });
  });
});

describe('complete task (T5)', () => {
  it('lets only the assignee complete, once, and publishes Task.Completed', async () => {
    await addAccount(workers[0] as string, 'worker');
    await addAccount(workers[1] as string, 'manager');
    const task = await createTask(db, newTask(), asManager);
    expect(await codeOf(completeTask(db, task.public_id, asWorker(workers[1] as string)))).toBe('task.not_assignee');
    expect(await codeOf(completeTask(db, randomUUID(), asWorker(workers[0] as string)))).toBe('task.not_found');
    const published = await watchOutbox(db);
    const done = await completeTask(db, task.public_id, asWorker(workers[0] as string));
    expect(done.status).toBe('done');
    expect(await published.events()).toMatchObject([
      { event_name: 'Task.Completed', data: { task_id: task.public_id, assignee_id: workers[0] } },
    ]);
    expect(await codeOf(completeTask(db, task.public_id, asWorker(workers[0] as string)))).toBe('task.already_done');
  });
});

describe('reassign (T4)', () => {
  it('reassigns every open task, and only open ones, publishing one Task.Assigned each', async () => {
    for (const w of workers) await addAccount(w, 'worker');
    await addAccount(manager, 'manager');
    const tasks = [];
    for (let i = 0; i < 30; i += 1) tasks.push(await createTask(db, newTask(`Task ${i}`), asManager));
    const done = await completeTask(db, tasks[0]?.public_id ?? '', asWorker(tasks[0]?.assignee_id ?? ''));
    const published = await watchOutbox(db);
    expect(await reassignAll(db, asManager)).toBe(29);
    const events = await published.events();
    expect(events).toHaveLength(29);
    expect(events.every((e) => e.event_name === 'Task.Assigned')).toBe(true);
    expect(events.map((e) => (e.data as { task_id: string }).task_id)).not.toContain(done.public_id);
    const rows = await db.selectFrom('tasks').select(['public_id', 'assignee_id', 'status']).execute();
    for (const row of rows) expect(eligible.has(row.assignee_id)).toBe(true);
    const byTask = new Map(
      events.map((e) => [(e.data as { task_id: string }).task_id, (e.data as { assignee_id: string }).assignee_id]),
    );
    for (const row of rows.filter((r) => r.status === 'open')) expect(byTask.get(row.public_id)).toBe(row.assignee_id);
  });

  it('refuses with "no eligible assignee" when nobody can take the tasks, and changes nothing', async () => {
    await addAccount(workers[0] as string, 'worker');
    await createTask(db, newTask(), asManager);
    await db.updateTable('accounts').set({ active: false }).execute();
    const published = await watchOutbox(db);
    await expect(reassignAll(db, asManager)).rejects.toMatchObject({ code: 'task.no_eligible_assignee' });
    expect(await published.events()).toEqual([]);
  });

  it('racing with completions never leaves a completed task reassigned, nor an assignment without its event', async () => {
    for (const w of workers) await addAccount(w, 'worker');
    const tasks = [];
    for (let i = 0; i < 200; i += 1) tasks.push(await createTask(db, newTask(`Task ${i}`), asManager));
    const before = await watchOutbox(db);
    await Promise.all([
      (async () => {
        for (let i = 0; i < 10; i += 1) await reassignAll(db, asManager);
      })(),
      ...tasks.map(async (task) => {
        // The assignee may have changed since creation: complete as whoever holds it now.
        const current = await db
          .selectFrom('tasks')
          .select('assignee_id')
          .where('public_id', '=', task.public_id)
          .executeTakeFirstOrThrow();
        await completeTask(db, task.public_id, asWorker(current.assignee_id)).catch((error: unknown) => {
          if (!(isAppError(error) && error.code === 'task.not_assignee')) throw error;
        });
      }),
    ]);
    const events = await before.events();
    const rows = await db.selectFrom('tasks').selectAll().execute();
    for (const row of rows) {
      const own = events.filter((e) => (e.data as { task_id: string }).task_id === row.public_id);
      const completedAt = own.findIndex((e) => e.event_name === 'Task.Completed');
      const lastAssigned = own.filter((e) => e.event_name === 'Task.Assigned').at(-1);
      if (row.status === 'done') {
        // No assignment after completion, and the completion names the final assignee.
        expect(own.slice(completedAt + 1).filter((e) => e.event_name === 'Task.Assigned')).toEqual([]);
        expect(own[completedAt]?.data).toMatchObject({ assignee_id: row.assignee_id });
      }
      // Every assignment the table holds was announced by its event.
      if (lastAssigned) expect((lastAssigned.data as { assignee_id: string }).assignee_id).toBe(row.assignee_id);
    }
    expect(rows.some((r) => r.status === 'done')).toBe(true);
  });
});
