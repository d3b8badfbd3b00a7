import type { Role } from '@ates/roles';
import type { Credentials } from '@ates/sign-in';
import { callApi, RequestLog, type Answer, type FailedRequest, type TargetName, type Targets } from './api.js';
import { newPassword, newPerson, personName, registerSimulator, SignIns, type Person } from './people.js';
import { seededRandom, type Random } from './random.js';

export interface SimulateOptions {
  readonly targets: Targets;
  /** An active admin: registers the simulator's application, creates and changes accounts. */
  readonly admin: Credentials;
  /** People the simulation creates (the company's size). */
  readonly size: number;
  /** How long the work goes on, in seconds (after the accounts are made). */
  readonly durationSeconds: number;
  readonly seed: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** A manager presses "reassign" this often, in seconds (0: never). */
  readonly reassignEverySeconds: number;
  /** A realistic demo day: a fixed amount of work rather than a duration. */
  readonly demo: boolean;
  readonly onProgress?: (progress: Progress) => void;
}

export interface Progress {
  /** 0..1 */
  readonly done: number;
  readonly phase: 'accounts' | 'work' | 'finished';
  readonly tasksCreated: number;
  readonly tasksCompleted: number;
  readonly reassigns: number;
  readonly failures: number;
}

/** What a simulation did and what it was answered: printed at the end, and written as JSON with --report. */
export interface SimulationSummary {
  readonly seed: number;
  readonly size: number;
  readonly run: string;
  readonly started_at: string;
  readonly finished_at: string;
  readonly client_id: string;
  readonly accounts: {
    readonly created: number;
    readonly role_changes: number;
    readonly deactivated: number;
    /** Every account the run created, as the last 2xx answer left it. */
    readonly items: ReadonlyArray<{ id: string; email: string; role: Role; active: boolean }>;
  };
  readonly tasks: {
    readonly created: number;
    readonly completed: number;
    readonly reassign_calls: number;
    /** Tasks moved by the reassigns that were answered (each one Task.Assigned, so one fee). */
    readonly reassigned: number;
    /** Reassigns sent with no answer: they may or may not have happened. */
    readonly reassigns_unanswered: number;
    /** Ids of the tasks whose creation was answered 201. */
    readonly created_ids: readonly string[];
    /** Ids of the tasks whose completion was answered 200. */
    readonly completed_ids: readonly string[];
  };
  /** Refusals (4xx) by problem code: the rules at work, e.g. completing a task just reassigned away. */
  readonly refusals: Readonly<Record<string, number>>;
  readonly requests: {
    readonly total: number;
    readonly by_service: Readonly<Record<TargetName, Readonly<Record<string, number>>>>;
    readonly sign_ins: number;
    readonly failed_sign_ins: number;
  };
  /** Every request answered 5xx or not at all, with its time. */
  readonly failures: readonly FailedRequest[];
}

/** Open tasks per assignable person past which more are finished than started. */
const openPerPerson = 5;

const demoWork = { tasks: 48, reassigns: 2, completeShare: 0.6 };

const taskTitles = [
  'Refill the millet dispenser on floor {n}',
  'Sort the sunflower seeds by size',
  'Untangle the swing in the break room',
  'Polish the perches in meeting room {n}',
  'Count the cuttlebones in the storeroom',
  'Review the nest-building guidelines',
  'Fix the squeaky cage door {n}',
  'Write the onboarding guide for new popugs',
  'Translate the feeding schedule into Parrotese',
  'Repaint the mirror frames on floor {n}',
  'Test the new bell toys',
  'Migrate the seed inventory to the new ledger',
  'Prepare the quarterly feather report',
  'Water the millet sprouts',
];

/** People of a company of `size`: about one manager in eight, one accountant in ten, the rest workers. */
const rolesFor = (size: number): Role[] => {
  const managers = Math.max(1, Math.round(size / 8));
  const accountants = Math.max(1, Math.round(size / 10));
  return Array.from({ length: size }, (_, i) =>
    i < managers ? 'manager' : i < managers + accountants ? 'accountant' : 'worker',
  );
};

const problemCode = (answer: Answer): string =>
  typeof answer.body.code === 'string' ? answer.body.code : `status ${answer.status}`;

interface OpenTask {
  readonly id: string;
  assigneeId: string;
}

/**
 * `ates simulate`: a company at work against a running system, through its public interfaces
 * only. The admin registers the simulator as an application on the admin pages and creates the
 * accounts through auth's API; everyone signs in through OpenID Connect (code + PKCE). Then, for
 * the duration: people create tasks, a manager reassigns every `reassignEverySeconds`, assignees
 * complete their tasks, the admin now and then changes a role or deactivates someone. Choices
 * come from `seed`; what happens (which assignee a task gets) is the system's.
 */
export const simulate = async (options: SimulateOptions): Promise<SimulationSummary> => {
  const { targets } = options;
  const random: Random = seededRandom(options.seed);
  const log = new RequestLog();
  const startedAt = new Date();
  const run = `${options.seed.toString(36)}${startedAt.getTime().toString(36).slice(-4)}`;
  const refusals: Record<string, number> = {};
  const refused = (answer: Answer) => {
    const code = problemCode(answer);
    refusals[code] = (refusals[code] ?? 0) + 1;
  };
  const counters = { roleChanges: 0, deactivated: 0, reassignCalls: 0, reassigned: 0, reassignsUnanswered: 0 };
  const createdIds: string[] = [];
  const completedIds: string[] = [];
  const open = new Map<string, OpenTask>();
  /** Completions in flight: two requests at once do not both pick the same task. */
  const completing = new Set<string>();
  const report = (phase: Progress['phase'], done: number) =>
    options.onProgress?.({
      done,
      phase,
      tasksCreated: createdIds.length,
      tasksCompleted: completedIds.length,
      reassigns: counters.reassignCalls,
      failures: log.failures.length,
    });

  const clientId = await registerSimulator(targets, options.admin, `aTES simulate ${run}`);
  const signIns = await SignIns.discover(targets, clientId, log);
  const admin: Person = {
    ...newPerson(
      { public_id: '', email: options.admin.email, full_name: 'admin', role: 'admin' },
      options.admin.password,
    ),
  };

  /** One call as `person`; a 401 signs them in again once. */
  const as = async (person: Person, service: TargetName, method: string, path: string, body?: unknown) => {
    const token = await signIns.tokenOf(person);
    if (!token) return { status: 0, body: { error: 'no token' } } satisfies Answer;
    const answer = await callApi(log, targets, service, token, method, path, body);
    if (answer.status !== 401) return answer;
    signIns.forget(person);
    const again = await signIns.tokenOf(person);
    return again ? callApi(log, targets, service, again, method, path, body) : answer;
  };

  // --- The company: accounts through auth's API, each person signed in once ---------------------
  const people: Person[] = [];
  const roles = rolesFor(options.size);
  for (const [index, role] of roles.entries()) {
    const { fullName, email } = personName(random.pick, run, index);
    const password = newPassword();
    let answer: Answer;
    do {
      answer = await as(admin, 'auth', 'POST', '/api/accounts', { email, full_name: fullName, role, password });
      // Created before an answer that was lost: the email is taken by our own account.
      if (answer.status === 409) break;
      if (answer.status === 0 || answer.status >= 500) await sleep(1_000);
    } while (answer.status === 0 || answer.status >= 500);
    if (answer.status === 201) {
      people.push(newPerson(answer.body.account as Parameters<typeof newPerson>[0], password));
    } else refused(answer);
    report('accounts', (index + 1) / roles.length);
  }
  await Promise.all(people.map((p) => signIns.tokenOf(p)));

  const active = (filter: (p: Person) => boolean) => people.filter((p) => p.active && filter(p));
  const byId = new Map(people.map((p) => [p.id, p]));
  const managers = () => active((p) => p.role === 'manager');

  /** After a reassign: where every open task went, as a manager sees it. */
  const refreshOpenTasks = async (manager: Person): Promise<void> => {
    const seen = new Map<string, OpenTask>();
    for (let page = 1; ; page++) {
      const answer = await as(
        manager,
        'tracker',
        'GET',
        `/api/tasks?assignee=all&status=open&page=${page}&page_size=200`,
      );
      if (answer.status !== 200) return;
      const items = answer.body.items as Array<{ id: string; assignee_id: string }>;
      for (const t of items) seen.set(t.id, { id: t.id, assigneeId: t.assignee_id });
      if (items.length < 200) break;
    }
    open.clear();
    for (const [id, task] of seen) open.set(id, task);
  };

  // --- The work ---------------------------------------------------------------------------------
  const createTask = async (): Promise<void> => {
    const creator = random.pick(active(() => true));
    const title = random.pick(taskTitles).replace('{n}', String(random.int(1, 9)));
    const answer = await as(creator, 'tracker', 'POST', '/api/tasks', {
      title,
      jira_id: random.chance(0.5) ? `UBERPOP-${random.int(1, 9999)}` : null,
      description: random.chance(0.3) ? 'Asked for in the morning stand-up.' : '',
    });
    if (answer.status === 201) {
      const id = answer.body.id as string;
      createdIds.push(id);
      open.set(id, { id, assigneeId: answer.body.assignee_id as string });
    } else if (answer.status < 500 && answer.status !== 0) refused(answer);
  };

  const completeTask = async (): Promise<void> => {
    const candidates = [...open.values()].filter((t) => !completing.has(t.id) && byId.get(t.assigneeId)?.active);
    if (candidates.length === 0) return createTask();
    const task = random.pick(candidates);
    const assignee = byId.get(task.assigneeId) as Person;
    completing.add(task.id);
    const answer = await as(assignee, 'tracker', 'POST', `/api/tasks/${task.id}/complete`).finally(() =>
      completing.delete(task.id),
    );
    if (answer.status === 200) {
      completedIds.push(task.id);
      open.delete(task.id);
    } else if (answer.status < 500 && answer.status !== 0) {
      refused(answer);
      // Reassigned away or already done (an answer lost earlier): ask where it is now.
      const now = await as(assignee, 'tracker', 'GET', `/api/tasks/${task.id}`);
      if (now.status === 200 && now.body.status === 'done') open.delete(task.id);
      else if (now.status === 404) open.delete(task.id);
    }
  };

  const reassign = async (): Promise<void> => {
    const manager = managers()[0];
    if (!manager) return;
    counters.reassignCalls++;
    const answer = await as(manager, 'tracker', 'POST', '/api/tasks/reassign');
    if (answer.status === 200) counters.reassigned += answer.body.reassigned as number;
    else if (answer.status === 0 || answer.status >= 500) counters.reassignsUnanswered++;
    else refused(answer);
    await refreshOpenTasks(manager);
  };

  const changeRole = async (): Promise<void> => {
    // Keep a manager to reassign and enough people to take tasks.
    const candidates = active((p) => p.role !== 'manager' || managers().length > 1);
    if (candidates.length === 0) return;
    const person = random.pick(candidates);
    const role = random.pick((['worker', 'accountant', 'manager'] as const).filter((r) => r !== person.role));
    const answer = await as(admin, 'auth', 'PUT', `/api/accounts/${person.id}/role`, { role });
    if (answer.status === 200) {
      person.role = role;
      counters.roleChanges++;
    } else if (answer.status < 500 && answer.status !== 0) refused(answer);
  };

  const deactivate = async (): Promise<void> => {
    const assignable = active((p) => p.role === 'worker' || p.role === 'accountant');
    if (assignable.length <= Math.max(2, options.size / 2)) return;
    const person = random.pick(assignable);
    const answer = await as(admin, 'auth', 'POST', `/api/accounts/${person.id}/deactivate`);
    if (answer.status === 200) {
      person.active = false;
      counters.deactivated++;
    } else if (answer.status < 500 && answer.status !== 0) refused(answer);
  };

  const act = (): Promise<void> => {
    // A company keeps up with its work: past `openPerPerson` open tasks a head, people finish
    // more than they start (otherwise every reassign moves an ever larger backlog).
    const people = active((p) => p.role === 'worker' || p.role === 'accountant').length;
    const create = open.size > openPerPerson * Math.max(1, people) ? 15 : 50;
    const action = random.weighted({ create, complete: 49.5, role: 0.3, deactivate: 0.2 });
    if (action === 'create') return createTask();
    if (action === 'complete') return completeTask();
    if (action === 'role') return changeRole();
    return deactivate();
  };

  if (options.demo) {
    // A demo day: the work of a morning, two reshuffles, most of it done by the evening.
    for (let i = 0; i < demoWork.tasks; i++) {
      await createTask();
      report('work', (i + 1) / (demoWork.tasks * 2));
      if (i % Math.floor(demoWork.tasks / (demoWork.reassigns + 1)) === 0 && i > 0) await reassign();
    }
    await changeRole();
    await deactivate();
    const toComplete = Math.round(open.size * demoWork.completeShare);
    for (let i = 0; i < toComplete; i++) {
      await completeTask();
      report('work', 0.5 + (i + 1) / (toComplete * 2));
    }
  } else {
    const endsAt = Date.now() + options.durationSeconds * 1000;
    let nextReassign = Date.now() + options.reassignEverySeconds * 1000;
    let reassigning: Promise<void> | undefined;
    const ticker = setInterval(
      () => report('work', 1 - Math.max(0, endsAt - Date.now()) / (options.durationSeconds * 1000)),
      250,
    );
    const worker = async (): Promise<void> => {
      while (Date.now() < endsAt) {
        if (options.reassignEverySeconds > 0 && Date.now() >= nextReassign && !reassigning) {
          nextReassign = Date.now() + options.reassignEverySeconds * 1000;
          reassigning = reassign().finally(() => (reassigning = undefined));
          await reassigning;
          continue;
        }
        const before = log.failures.length;
        await act();
        // Nobody answers: wait a little rather than spin against a service that is down.
        if (log.failures.length > before) await sleep(250);
      }
    };
    try {
      await Promise.all(Array.from({ length: options.concurrency }, worker));
    } finally {
      clearInterval(ticker);
    }
  }
  report('finished', 1);

  return {
    seed: options.seed,
    size: options.size,
    run,
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    client_id: clientId,
    accounts: {
      created: people.length,
      role_changes: counters.roleChanges,
      deactivated: counters.deactivated,
      items: people.map((p) => ({ id: p.id, email: p.email, role: p.role, active: p.active })),
    },
    tasks: {
      created: createdIds.length,
      completed: completedIds.length,
      reassign_calls: counters.reassignCalls,
      reassigned: counters.reassigned,
      reassigns_unanswered: counters.reassignsUnanswered,
      created_ids: createdIds,
      completed_ids: completedIds,
    },
    refusals,
    requests: {
      total: log.total,
      by_service: log.counts,
      sign_ins: signIns.signIns,
      failed_sign_ins: signIns.failedSignIns,
    },
    failures: log.failures,
  };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
