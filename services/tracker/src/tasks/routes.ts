import { Type, type Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { refuse, validationError } from '@ates/errors';
import { problemResponses, type ApiScope } from '@ates/http';
import type { Caller } from '@ates/token-verifier';
import type { TrackerDb } from '../db.js';
import { maySeeTask, seesEveryonesTasks } from './access.js';
import { completeTask, createTask, reassignAll, type CreateTaskDeps } from './commands.js';
import { findTask, listTasks } from './store.js';
import { jiraIdMaxLength, jiraIdPattern, titleMaxLength, titlePattern, type Task } from './task.js';

const TaskView = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    title: Type.String(),
    jira_id: Type.Union([Type.String(), Type.Null()]),
    description: Type.String(),
    status: Type.Union([Type.Literal('open'), Type.Literal('done')]),
    assignee_id: Type.String({ format: 'uuid' }),
    creator_id: Type.String({ format: 'uuid' }),
    created_at: Type.String({ format: 'date-time' }),
    completed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'Task' },
);

export const NewTask = Type.Object(
  {
    title: Type.String({
      minLength: 1,
      maxLength: titleMaxLength,
      pattern: titlePattern,
      description: `1–${titleMaxLength} characters, not blank, without [ or ] (the Jira id goes in jira_id, T6).`,
    }),
    jira_id: Type.Optional(
      Type.Union([
        Type.String({
          pattern: jiraIdPattern,
          maxLength: jiraIdMaxLength,
          description: 'A Jira key such as UBERPOP-42.',
        }),
        Type.Null(),
      ]),
    ),
    description: Type.String({ maxLength: 10_000 }),
  },
  { additionalProperties: false },
);

const TaskId = Type.Object({ id: Type.String({ format: 'uuid' }) });

const ListQuery = Type.Object(
  {
    assignee: Type.Optional(
      Type.String({
        description:
          '`me` (the default), `all`, or an account public id; only managers and admins may name someone else.',
      }),
    ),
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('done')])),
    page: Type.Integer({ minimum: 1, default: 1 }),
    page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

/** The one renaming between a task and the outside: its public id is `id`, dates are ISO strings. */
export const taskView = ({ public_id: id, created_at, completed_at, ...rest }: Task): Static<typeof TaskView> => ({
  id,
  ...rest,
  created_at: created_at.toISOString(),
  completed_at: completed_at?.toISOString() ?? null,
});

const assigneeFilter = (caller: Caller, assignee: string | undefined): string | undefined => {
  if (assignee === undefined || assignee === 'me' || assignee === caller.id) return caller.id;
  if (!seesEveryonesTasks(caller.role)) throw refuse('task.others_hidden');
  if (assignee === 'all') return undefined;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(assignee)) {
    throw validationError([{ field: 'querystring.assignee', message: 'must be me, all, or an account public id' }]);
  }
  return assignee;
};

/** The tracker's JSON API (T3–T5). Register inside a context where `authenticate` ran. */
export const registerTaskRoutes = (api: ApiScope, db: Kysely<TrackerDb>, tasks: CreateTaskDeps = {}): void => {
  const tags = ['tasks'];
  api.addSchema(TaskView);

  api.post(
    '/api/tasks',
    {
      schema: {
        tags,
        summary: 'Create a task; it is assigned at random to an eligible account (T3)',
        body: NewTask,
        response: { 201: Type.Ref(TaskView), ...problemResponses(409) },
      },
    },
    async (request, reply) => {
      const { title, jira_id: jiraId = null, description } = request.body;
      const task = await createTask(db, { title: title.trim(), jiraId, description }, request.caller, tasks);
      return reply.status(201).send(taskView(task));
    },
  );

  api.get(
    '/api/tasks',
    {
      schema: {
        tags,
        summary: "List tasks: your own, or (managers and admins) anyone's",
        querystring: ListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref(TaskView)),
            page: Type.Integer(),
            page_size: Type.Integer(),
            total: Type.Integer(),
          }),
          ...problemResponses(403),
        },
      },
    },
    async (request) => {
      const { assignee, status, page, page_size: pageSize } = request.query;
      const { items, total } = await listTasks(db, {
        assigneeId: assigneeFilter(request.caller, assignee),
        status,
        page,
        pageSize,
      });
      return { items: items.map(taskView), page, page_size: pageSize, total };
    },
  );

  api.get(
    '/api/tasks/:id',
    {
      schema: {
        tags,
        summary: 'One task',
        params: TaskId,
        response: { 200: Type.Ref(TaskView), ...problemResponses(404) },
      },
    },
    async (request) => {
      const task = await findTask(db, request.params.id);
      // A task the caller may not see is answered as one that does not exist: ids are not secrets,
      // but whose task it is might be.
      if (!task || !maySeeTask(request.caller, task)) throw refuse('task.not_found', `No task ${request.params.id}.`);
      return taskView(task);
    },
  );

  api.post(
    '/api/tasks/reassign',
    {
      schema: {
        tags,
        summary: 'Reassign every open task at random (T4; managers and admins)',
        response: { 200: Type.Object({ reassigned: Type.Integer() }), ...problemResponses(403, 409) },
      },
    },
    async (request) => ({ reassigned: await reassignAll(db, request.caller) }),
  );

  api.post(
    '/api/tasks/:id/complete',
    {
      schema: {
        tags,
        summary: 'Mark your task done (T5; only its assignee)',
        params: TaskId,
        response: { 200: Type.Ref(TaskView), ...problemResponses(403, 404, 409) },
      },
    },
    async (request) => taskView(await completeTask(db, request.params.id, request.caller)),
  );
};
