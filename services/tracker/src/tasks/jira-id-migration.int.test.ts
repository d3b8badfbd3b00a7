import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createDb, createPool, migrate } from '@ates/db';
import { splitLegacyTitle } from '@ates/task-events';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import type { TrackerDb } from '../db.js';
import { migrations } from '../../migrations/index.js';

// T6, step 1 of docs/event-evolution.md: migration 0003 moves the Jira id out of stored titles
// with the same rule consumers apply to Task.Created v1 (splitLegacyTitle).
let database: TestDatabase;
let db: Kysely<TrackerDb>;

const oldTitles = [
  '[UBERPOP-42] — Change the green of the button',
  '[UBERPOP-7] - Feed the parrots',
  '[DOCS-3] Write the onboarding guide',
  'Refill the millet dispenser',
  'Fix [the] brackets in the middle',
  '[UBERPOP-1] — has [brackets] after',
  '[lower-1] not a key',
];

beforeAll(async () => {
  database = await createTestDatabase('jira');
  db = createDb<TrackerDb>(createPool(database.url, { max: 2 }));
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

describe('migration 0003_tasks_jira_id', () => {
  it('backfills jira_id from old titles exactly as consumers read Task.Created v1', async () => {
    const before = migrations.filter((m) => m.name < '0003');
    await migrate(db, before, 'tracker');
    const owner = randomUUID();
    for (const title of oldTitles) {
      await sql`insert into tasks (title, assignee_id, creator_id) values (${title}, ${owner}, ${owner})`.execute(db);
    }
    await migrate(db, migrations, 'tracker');
    const rows = await db.selectFrom('tasks').select(['title', 'jira_id']).orderBy('id').execute();
    expect(rows).toEqual(
      oldTitles.map((t) => {
        const { title, jiraId } = splitLegacyTitle(t);
        return { title, jira_id: jiraId };
      }),
    );
    expect(rows[0]).toEqual({ title: 'Change the green of the button', jira_id: 'UBERPOP-42' });
  });

  it('refuses new titles with brackets and malformed Jira ids, while old rows stay valid', async () => {
    const owner = randomUUID();
    const insert = (title: string, jiraId: string | null) =>
      db
        .insertInto('tasks')
        .values({
          public_id: randomUUID(),
          title,
          jira_id: jiraId,
          description: '',
          status: 'open',
          assignee_id: owner,
          creator_id: owner,
          created_at: new Date(),
          completed_at: null,
        })
        .execute();
    await expect(insert('[UBERPOP-9] new style is refused', null)).rejects.toThrow(/tasks_title_without_brackets/);
    await expect(insert('ok', 'uberpop-9')).rejects.toThrow(/tasks_jira_id_shape/);
    await insert('ok', 'UBERPOP-9');
  });
});
