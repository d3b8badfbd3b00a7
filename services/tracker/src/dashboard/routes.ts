import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import {
  dashboardClientIds,
  registerDashboardSession,
  safeReturnTo,
  type DashboardSession,
} from '@ates/dashboard-session';
import { isAppError, type AppError } from '@ates/errors';
import type { Logger } from '@ates/logger';
import type { Caller, TokenVerifier } from '@ates/token-verifier';
import { contentSecurityPolicy, registerUiAssets, type DashboardLinks, type Flash } from '@ates/ui';
import type { TrackerDb } from '../db.js';
import { completeTask, createTask, reassignAll } from '../tasks/commands.js';
import { dashboardLinks, type TrackerConfig } from './config.js';
import { createFlashCodec, flashCookieName, flashMaxAgeSeconds, type FlashCodec } from './flash.js';
import {
  assignablePeople,
  countTasks,
  listTasksWithAssignees,
  personName,
  reassignFigures,
  type StatusFilter,
} from './queries.js';
import { emptyTaskForm, parseTaskForm, taskFormValues, type TaskFormErrors, type TaskFormValues } from './task-form.js';
import { homePage, messagePage, seesEveryone, type Chrome, type Scope } from './views.js';

export interface DashboardDeps {
  readonly db: Kysely<TrackerDb>;
  readonly config: TrackerConfig;
  readonly verifier: TokenVerifier;
  readonly logger: Logger;
}

const pageSize = 20;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const statuses: readonly StatusFilter[] = ['open', 'done', 'all'];

/** What the home page shows, as asked by its query; `refused` when the viewer may not see it. */
type HomeState =
  | { scope: Scope; status: StatusFilter; page: number }
  | { refused: { status: number; title: string; message: string } };

const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** "a worker", "an accountant". */
const aRole = (role: Caller['role']): string => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;

/**
 * The tracker's dashboard (REQUIREMENTS T1, T3–T5): "my tasks" with a Complete button per open
 * task, the create form, and for managers and admins everyone's tasks and the reassign button.
 * Signed in through the auth service (@ates/dashboard-session); every page calls the tracker's
 * use cases directly, so the rules and events are the API's. Register it in a scope of its own:
 * it parses forms and renders its errors as pages, which the JSON API must not.
 */
export const registerDashboard = async (scope: FastifyInstance, deps: DashboardDeps): Promise<void> => {
  const { db, config } = deps;
  const links: DashboardLinks = dashboardLinks(config);
  const flash: FlashCodec = createFlashCodec(config.DASHBOARD_SESSION_SECRET);
  const secureCookies = config.PUBLIC_URL.startsWith('https:');

  const send = (reply: FastifyReply, status: number, body: string): FastifyReply =>
    reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', contentSecurityPolicy)
      .header('referrer-policy', 'same-origin')
      .send(body);

  // The session is registered after the error handler; the handler finds it here.
  const registered: { session?: DashboardSession } = {};
  const chromeOf = (request: FastifyRequest): Chrome | undefined =>
    request.viewer && registered.session
      ? { viewer: request.viewer, csrf: request.csrfToken, links, signOutUrl: registered.session.signOutUrl }
      : undefined;

  // Set before any route so that every one of them, sign-in included, answers with a page.
  scope.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const status = isAppError(error)
      ? error.status
      : typeof error.statusCode === 'number' && error.statusCode >= 400
        ? error.statusCode
        : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'dashboard request failed');
      return send(
        reply,
        500,
        messagePage({
          chrome: chromeOf(request),
          title: 'Something went wrong',
          message: 'The tracker could not do that just now. Try again in a moment.',
        }),
      );
    }
    const forbiddenForm = isAppError(error) && error.code === 'forbidden' && !request.viewer;
    return send(
      reply,
      status,
      messagePage({
        chrome: chromeOf(request),
        title: forbiddenForm ? 'This form has expired' : 'That did not work',
        message: isAppError(error) ? error.message : 'The request could not be understood.',
      }),
    );
  });

  // Forms post application/x-www-form-urlencoded; the last of a repeated field wins.
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  registerUiAssets(scope);
  const session = await registerDashboardSession(scope, {
    clientId: dashboardClientIds.tracker,
    clientSecret: config.DASHBOARD_CLIENT_SECRET,
    issuer: config.AUTH_ISSUER,
    ...(config.AUTH_INTERNAL_URL ? { internalUrl: config.AUTH_INTERNAL_URL } : {}),
    publicUrl: config.PUBLIC_URL,
    sessionSecrets: config.DASHBOARD_SESSION_SECRET,
    db,
    verifier: deps.verifier,
    logger: deps.logger,
  });
  registered.session = session;
  const signOutUrl = session.signOutUrl;
  const guarded = { schema: { hide: true }, preHandler: session.requireViewer };
  const chrome = (request: FastifyRequest): Chrome => ({
    viewer: request.viewer,
    csrf: request.csrfToken,
    links,
    signOutUrl,
  });

  const setFlash = (reply: FastifyReply, message: Flash): void => {
    reply.setCookie(flashCookieName, flash.encode(message), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      maxAge: flashMaxAgeSeconds,
    });
  };
  /** The flash the previous request left, read once. */
  const takeFlash = (request: FastifyRequest, reply: FastifyReply): Flash[] => {
    const value = request.cookies[flashCookieName];
    if (value === undefined) return [];
    reply.clearCookie(flashCookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies });
    const message = flash.decode(value);
    return message ? [message] : [];
  };

  const refusedToSee = (viewer: Caller): HomeState => ({
    refused: {
      status: 403,
      title: 'Not for your role',
      message: `Only managers and admins see other people's tasks; you are signed in as ${aRole(viewer.role)}.`,
    },
  });

  const stateOf = async (viewer: Caller, query: Readonly<Record<string, unknown>>): Promise<HomeState> => {
    const statusParam = single(query.status);
    const status = statuses.find((s) => s === statusParam) ?? 'all';
    const page = Math.max(1, Math.min(1_000_000, Number.parseInt(single(query.page) ?? '1', 10) || 1));
    const assignee = single(query.assignee) ?? (seesEveryone(viewer.role) ? 'all' : 'me');
    if (assignee === 'me' || assignee === viewer.id) return { scope: { kind: 'me' }, status, page };
    if (assignee !== 'all' && !uuid.test(assignee))
      return {
        refused: {
          status: 400,
          title: 'No such filter',
          message: 'Tasks can be shown for me, for everyone, or for one person.',
        },
      };
    if (!seesEveryone(viewer.role)) return refusedToSee(viewer);
    if (assignee === 'all') return { scope: { kind: 'all' }, status, page };
    const id = assignee.toLowerCase();
    return { scope: { kind: 'person', id, name: await personName(db, id) }, status, page };
  };

  /** The state a form came from (its `return_to`), to show the page again; the default when it is not one the viewer may see. */
  const stateFromReturnTo = async (
    viewer: Caller,
    returnTo: string,
  ): Promise<{ scope: Scope; status: StatusFilter; page: number }> => {
    const state = await stateOf(viewer, Object.fromEntries(new URL(returnTo, 'http://x').searchParams));
    if ('scope' in state) return state;
    return { scope: seesEveryone(viewer.role) ? { kind: 'all' } : { kind: 'me' }, status: 'all', page: 1 };
  };

  const renderHome = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { scope: Scope; status: StatusFilter; page: number },
    options: { status?: number; flash?: Flash[]; form?: { values: TaskFormValues; errors: TaskFormErrors } } = {},
  ): Promise<FastifyReply> => {
    const viewer = request.viewer;
    const manager = seesEveryone(viewer.role);
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
    return send(
      reply,
      options.status ?? 200,
      homePage({
        ...chrome(request),
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
        flash: options.flash ?? [],
      }),
    );
  };

  /** A refusal by the rules (4xx) as the page again with its message, under its own status; anything else is a bug. */
  const refusal = (error: unknown): AppError => {
    if (isAppError(error) && error.status < 500) return error;
    throw error;
  };

  const returnToOf = (request: FastifyRequest): string =>
    safeReturnTo((request.body as Record<string, unknown> | undefined)?.return_to, '/', config.PUBLIC_URL);

  scope.get('/', guarded, async (request, reply) => {
    const state = await stateOf(request.viewer, request.query as Record<string, unknown>);
    const flashes = takeFlash(request, reply);
    if ('refused' in state)
      return send(
        reply,
        state.refused.status,
        messagePage({ chrome: chrome(request), title: state.refused.title, message: state.refused.message }),
      );
    return renderHome(request, reply, state, { flash: flashes });
  });

  scope.post('/tasks', guarded, async (request, reply) => {
    const returnTo = returnToOf(request);
    const values = taskFormValues(request.body);
    const parsed = parseTaskForm(values);
    if (!parsed.ok) {
      return renderHome(request, reply, await stateFromReturnTo(request.viewer, returnTo), {
        status: 400,
        flash: [{ kind: 'error', message: 'The task was not created: check the fields marked below.' }],
        form: { values, errors: parsed.errors },
      });
    }
    try {
      const task = await createTask(db, parsed.input, request.viewer.id);
      const assignee = task.assigneeId === request.viewer.id ? 'you' : await personName(db, task.assigneeId);
      setFlash(reply, { kind: 'success', message: `Task “${task.title}” created and assigned to ${assignee}.` });
      return reply.redirect(returnTo, 303);
    } catch (error) {
      const refused = refusal(error);
      return renderHome(request, reply, await stateFromReturnTo(request.viewer, returnTo), {
        status: refused.status,
        flash: [{ kind: 'error', message: `The task was not created: ${refused.message}` }],
        form: { values, errors: {} },
      });
    }
  });

  scope.post('/tasks/:id/complete', guarded, async (request, reply) => {
    const returnTo = returnToOf(request);
    const { id } = request.params as { id: string };
    try {
      const task = await completeTask(
        db,
        uuid.test(id) ? id.toLowerCase() : '00000000-0000-0000-0000-000000000000',
        request.viewer.id,
      );
      setFlash(reply, { kind: 'success', message: `Task “${task.title}” completed. Nice work!` });
      return reply.redirect(returnTo, 303);
    } catch (error) {
      const refused = refusal(error);
      const message =
        refused.code === 'forbidden'
          ? 'Only its assignee can complete a task, and this one is not assigned to you (it may have been reassigned).'
          : refused.code === 'conflict'
            ? 'This task is already done.'
            : refused.code === 'not_found'
              ? 'There is no such task.'
              : refused.message;
      return renderHome(request, reply, await stateFromReturnTo(request.viewer, returnTo), {
        status: refused.status,
        flash: [{ kind: 'error', message: `The task could not be completed. ${message}` }],
      });
    }
  });

  scope.post('/tasks/reassign', guarded, async (request, reply) => {
    const viewer = request.viewer;
    if (!seesEveryone(viewer.role)) {
      return send(
        reply,
        403,
        messagePage({
          chrome: chrome(request),
          title: 'Not for your role',
          message: `Reassigning tasks is for managers and admins; you are signed in as ${aRole(viewer.role)}. Nothing was changed.`,
        }),
      );
    }
    const returnTo = returnToOf(request);
    try {
      const reassigned = await reassignAll(db);
      setFlash(reply, {
        kind: 'success',
        message: `${reassigned} ${reassigned === 1 ? 'task' : 'tasks'} reassigned at random.`,
      });
      return reply.redirect(returnTo, 303);
    } catch (error) {
      const refused = refusal(error);
      return renderHome(request, reply, await stateFromReturnTo(viewer, returnTo), {
        status: refused.status,
        flash: [{ kind: 'error', message: `Nothing was reassigned: ${refused.message}` }],
      });
    }
  });

  // Where a reloaded or bookmarked form result lands: the list itself.
  scope.get('/tasks', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/', 303));
};
