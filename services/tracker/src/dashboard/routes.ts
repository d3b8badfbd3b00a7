import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { dashboardLinksOf, pageNumberOf, setUpDashboard, shownRefusal, textOf } from '@ates/dashboard-pages';
import { safeReturnTo } from '@ates/dashboard-session';
import { refuse } from '@ates/errors';
import type { Logger } from '@ates/logger';
import { aRole } from '@ates/roles';
import type { Caller, TokenVerifier } from '@ates/token-verifier';
import type { Flash } from '@ates/ui';
import type { TrackerDb } from '../db.js';
import { mayReassign, seesEveryonesTasks } from '../tasks/access.js';
import { completeTask, createTask, reassignAll, type CreateTaskDeps } from '../tasks/commands.js';
import type { TrackerConfig } from './config.js';
import {
  assignablePeople,
  countTasks,
  listTasksWithAssignees,
  personName,
  reassignFigures,
  type StatusFilter,
} from './queries.js';
import { emptyTaskForm, parseTaskForm, taskFormValues, type TaskFormErrors, type TaskFormValues } from './task-form.js';
import { homePage, type Scope } from './views.js';

export interface DashboardDeps {
  readonly db: Kysely<TrackerDb>;
  readonly config: TrackerConfig;
  readonly verifier: TokenVerifier;
  readonly logger: Logger;
  /** Where new tasks' assignees come from and who wakes the relay (the API's, shared). */
  readonly tasks?: CreateTaskDeps;
}

const pageSize = 20;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const statuses: readonly StatusFilter[] = ['open', 'done', 'all'];

type HomeState = { readonly scope: Scope; readonly status: StatusFilter; readonly page: number };

/**
 * The tracker's dashboard (REQUIREMENTS T1, T3–T5): "my tasks" with a Complete button per open
 * task, the create form, and for managers and admins everyone's tasks and the reassign button.
 * Signed in through the auth service (@ates/dashboard-session), served as every dashboard is
 * (@ates/dashboard-pages); every form calls the tracker's use cases, so the rules, the refusals
 * and the events are the API's. Register it in a scope of its own.
 */
export const registerDashboard = async (scope: FastifyInstance, deps: DashboardDeps): Promise<void> => {
  const { db, config } = deps;
  const { guarded } = await setUpDashboard(scope, {
    dashboard: 'tracker',
    config,
    links: dashboardLinksOf('tracker', config),
    db,
    verifier: deps.verifier,
    logger: deps.logger,
    home: { href: '/', label: 'Back to my tasks' },
  });

  /** What the home page shows, as its query asks; throws the refusal when the viewer may not see it. */
  const stateOf = async (viewer: Caller, query: Readonly<Record<string, unknown>>): Promise<HomeState> => {
    const statusParam = textOf(query.status);
    const status = statuses.find((s) => s === statusParam) ?? 'all';
    const page = pageNumberOf(query.page, 1_000_000);
    const assignee = textOf(query.assignee) ?? (seesEveryonesTasks(viewer.role) ? 'all' : 'me');
    if (assignee === 'me' || assignee === viewer.id) return { scope: { kind: 'me' }, status, page };
    if (assignee !== 'all' && !uuid.test(assignee)) {
      throw refuse('request.invalid', 'Tasks can be shown for me, for everyone, or for one person.');
    }
    if (!seesEveryonesTasks(viewer.role)) {
      throw refuse(
        'task.others_hidden',
        `Only managers and admins see other people's tasks; you are signed in as ${aRole(viewer.role)}.`,
      );
    }
    if (assignee === 'all') return { scope: { kind: 'all' }, status, page };
    const id = assignee.toLowerCase();
    return { scope: { kind: 'person', id, name: await personName(db, id) }, status, page };
  };

  /** The state a form came from (its `return_to`), to show the page again; the default when it is not one the viewer may see. */
  const stateFromReturnTo = async (viewer: Caller, returnTo: string): Promise<HomeState> =>
    stateOf(viewer, Object.fromEntries(new URL(returnTo, 'http://x').searchParams)).catch((error: unknown) => {
      shownRefusal(error);
      return { scope: seesEveryonesTasks(viewer.role) ? { kind: 'all' } : { kind: 'me' }, status: 'all', page: 1 };
    });

  const renderHome = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: HomeState,
    options: { status?: number; flash?: Flash[]; form?: { values: TaskFormValues; errors: TaskFormErrors } } = {},
  ): Promise<FastifyReply> => {
    const viewer = request.viewer;
    const manager = seesEveryonesTasks(viewer.role);
    const assigneeId =
      state.scope.kind === 'me' ? viewer.id : state.scope.kind === 'person' ? state.scope.id : undefined;
    const counts = await countTasks(db, assigneeId);
    const total =
      state.status === 'open' ? counts.open : state.status === 'done' ? counts.done : counts.open + counts.done;
    const page = Math.min(state.page, Math.max(1, Math.ceil(total / pageSize)));
    const [tasks, people, figures] = await Promise.all([
      listTasksWithAssignees(db, { assigneeId, status: state.status, page, pageSize }),
      manager ? assignablePeople(db) : Promise.resolve([]),
      manager ? reassignFigures(db) : Promise.resolve({ open: 0, eligible: 0 }),
    ]);
    const { title, body } = homePage({
      viewer,
      csrf: request.csrfToken,
      scope: state.scope,
      status: state.status,
      page,
      pageSize,
      tasks,
      counts,
      people,
      companyOpen: figures.open,
      eligible: figures.eligible,
      form: options.form ?? { values: emptyTaskForm, errors: {} },
    });
    return reply.page(title, body, {
      status: options.status ?? 200,
      ...(options.flash ? { flash: options.flash } : {}),
    });
  };

  /** The page a refused form came from, again, with the refusal's sentence on top. */
  const refusedForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    error: unknown,
    lead: string,
    form?: { values: TaskFormValues; errors: TaskFormErrors },
  ): Promise<FastifyReply> => {
    const refused = shownRefusal(error);
    return renderHome(request, reply, await stateFromReturnTo(request.viewer, returnToOf(request)), {
      status: refused.status,
      flash: [{ kind: 'error', message: `${lead} ${refused.message}` }],
      ...(form ? { form } : {}),
    });
  };

  const returnToOf = (request: FastifyRequest): string =>
    safeReturnTo((request.body as Record<string, unknown> | undefined)?.return_to, '/', config.PUBLIC_URL);

  scope.get('/', guarded, async (request, reply) => {
    try {
      return await renderHome(request, reply, await stateOf(request.viewer, request.query as Record<string, unknown>));
    } catch (error) {
      const refused = shownRefusal(error);
      const title = refused.code === 'task.others_hidden' ? 'Not for your role' : 'No such filter';
      return reply.message({ title, message: refused.message, status: refused.status });
    }
  });

  scope.post('/tasks', guarded, async (request, reply) => {
    const values = taskFormValues(request.body);
    const parsed = parseTaskForm(values);
    if (!parsed.ok) {
      return renderHome(request, reply, await stateFromReturnTo(request.viewer, returnToOf(request)), {
        status: 400,
        flash: [{ kind: 'error', message: 'The task was not created: check the fields marked below.' }],
        form: { values, errors: parsed.errors },
      });
    }
    try {
      const task = await createTask(db, parsed.input, request.viewer, deps.tasks);
      const assignee = task.assignee_id === request.viewer.id ? 'you' : await personName(db, task.assignee_id);
      reply.flash({ kind: 'success', message: `Task “${task.title}” created and assigned to ${assignee}.` });
      return reply.redirect(returnToOf(request), 303);
    } catch (error) {
      return refusedForm(request, reply, error, 'The task was not created.', { values, errors: {} });
    }
  });

  scope.post('/tasks/:id/complete', guarded, async (request, reply) => {
    const { id } = request.params as { id: string };
    try {
      const task = await completeTask(
        db,
        uuid.test(id) ? id.toLowerCase() : '00000000-0000-0000-0000-000000000000',
        request.viewer,
      );
      reply.flash({ kind: 'success', message: `Task “${task.title}” completed. Nice work!` });
      return reply.redirect(returnToOf(request), 303);
    } catch (error) {
      return refusedForm(request, reply, error, 'The task could not be completed.');
    }
  });

  scope.post('/tasks/reassign', guarded, async (request, reply) => {
    const viewer = request.viewer;
    if (!mayReassign(viewer.role)) {
      return reply.message({
        title: 'Not for your role',
        message: `Reassigning tasks is for managers and admins; you are signed in as ${aRole(viewer.role)}. Nothing was changed.`,
        status: 403,
      });
    }
    try {
      const reassigned = await reassignAll(db, viewer);
      reply.flash({
        kind: 'success',
        message: `${reassigned} ${reassigned === 1 ? 'task' : 'tasks'} reassigned at random.`,
      });
      return reply.redirect(returnToOf(request), 303);
    } catch (error) {
      return refusedForm(request, reply, error, 'Nothing was reassigned.');
    }
  });

  // Where a reloaded or bookmarked form result lands: the list itself.
  scope.get('/tasks', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/', 303));
};
