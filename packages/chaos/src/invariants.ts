import pg from 'pg';
import { withDatabase } from '@ates/db';
import { outboxBacklogSql } from '@ates/event-bus';
import { databaseOf } from '@ates/cli/system';
import type { SimulationSummary } from '@ates/cli/simulate';
import { analyticsFindings } from './analytics.js';
import { affects, services, type Fault, type Service } from './schedule.js';

/** One invariant of issue 15 as it was found: held or broken, with the figures and the first offenders. */
export interface Verdict {
  readonly name: string;
  readonly held: boolean;
  readonly figures: string;
  /** Up to 10 concrete cases that break it. */
  readonly problems: readonly string[];
}

export type Query = <R extends Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;

/** Read-only connections to each service's own database, as its superuser (not through the proxies). */
export const openDatabases = async (
  adminUrl: string,
): Promise<{ query(service: Service): Query; close(): Promise<void> }> => {
  const pools = new Map(
    services.map((s) => {
      const pool = new pg.Pool({ connectionString: withDatabase(adminUrl, databaseOf(s)), max: 2 });
      // An idle connection dropped by a PostgreSQL restart (a fault): the next query reconnects.
      pool.on('error', () => undefined);
      return [s, pool] as const;
    }),
  );
  return {
    query:
      (service) =>
      async <R extends Record<string, unknown>>(text: string, values: unknown[] = []) =>
        (await (pools.get(service) as pg.Pool).query<R>(text, values)).rows,
    close: async () => {
      await Promise.all([...pools.values()].map((p) => p.end()));
    },
  };
};

const verdict = (name: string, problems: string[], figures: string): Verdict => ({
  name,
  held: problems.length === 0,
  figures,
  problems: problems.slice(0, 10).concat(problems.length > 10 ? [`… and ${problems.length - 10} more`] : []),
});

export interface Settled {
  readonly unsentOutbox: number;
  readonly assigned: number;
  readonly fees: number;
  readonly completed: number;
  readonly rewards: number;
  readonly unsentMails: number;
  readonly closing: number;
  /** Events for analytics' consumers in the tracker's and accounting's outboxes that analytics has not applied. */
  readonly analyticsBehind: number;
}

const count = async (query: Query, text: string): Promise<number> => (await query<{ n: number }>(text))[0]?.n ?? 0;

/** analytics.tasks takes the tracker's Task.Created and Task.Completed and accounting's Task.Priced; analytics.ledger the ledger's events. */
const analyticsBehind = async (db: { query(service: Service): Query }): Promise<number> => {
  const sent = (names: string) => `select count(*)::int as n from outbox where event_name in (${names})`;
  const applied = (consumer: string) => `select count(*)::int as n from inbox where consumer = '${consumer}'`;
  const tasks =
    (await count(db.query('tracker'), sent("'Task.Created', 'Task.Completed'"))) +
    (await count(db.query('accounting'), sent("'Task.Priced'")));
  const ledger = await count(
    db.query('accounting'),
    sent("'Transaction.Applied', 'Payout.Made', 'BusinessDay.Closed'"),
  );
  const analytics = db.query('analytics');
  return (
    tasks -
    (await count(analytics, applied('analytics.tasks'))) +
    ledger -
    (await count(analytics, applied('analytics.ledger')))
  );
};

/** The figures that stop changing once every event has been carried and applied. */
export const settledFigures = async (db: { query(service: Service): Query }): Promise<Settled> => {
  let unsentOutbox = 0;
  for (const s of services) {
    const [row] = await db.query(s)<{ n: number }>(outboxBacklogSql);
    unsentOutbox += row?.n ?? 0;
  }
  const [tracker] = await db.query('tracker')<{ assigned: number; completed: number }>(
    `select count(*) filter (where event_name = 'Task.Assigned')::int as assigned,
            count(*) filter (where event_name = 'Task.Completed')::int as completed from outbox`,
  );
  const [ledger] = await db.query('accounting')<{ fees: number; rewards: number }>(
    `select count(*) filter (where kind = 'fee')::int as fees, count(*) filter (where kind = 'reward')::int as rewards from transactions`,
  );
  const [mails] = await db.query('accounting')<{ n: number }>(
    'select count(*)::int as n from mails where sent_at is null',
  );
  const [closing] = await db.query('accounting')<{ n: number }>(
    "select count(*)::int as n from business_days where status = 'closing'",
  );
  return {
    analyticsBehind: await analyticsBehind(db),
    unsentOutbox,
    assigned: tracker?.assigned ?? 0,
    fees: ledger?.fees ?? 0,
    completed: tracker?.completed ?? 0,
    rewards: ledger?.rewards ?? 0,
    unsentMails: mails?.n ?? 0,
    closing: closing?.n ?? 0,
  };
};

export const isSettled = (s: Settled): boolean =>
  s.unsentOutbox === 0 &&
  s.assigned === s.fees &&
  s.completed === s.rewards &&
  s.unsentMails === 0 &&
  s.closing === 0 &&
  s.analyticsBehind === 0;

interface Mail {
  readonly to: ReadonlyArray<{ address: string }>;
  readonly subject: string;
}

/**
 * Issue 15's invariants, read from each service's own database, MailDev's inbox and the
 * simulation's record of what it was answered.
 */
export const checkInvariants = async (input: {
  readonly db: { query(service: Service): Query };
  readonly mailUrl: string;
  readonly summary: SimulationSummary;
  readonly faults: ReadonlyArray<Fault & { startedAt: number; endedAt: number }>;
  /** How long after a fault a service may still fail requests (restart backoff, reconnects). */
  readonly graceMs: number;
}): Promise<Verdict[]> => {
  const { db, summary } = input;
  const tracker = db.query('tracker');
  const accounting = db.query('accounting');
  const verdicts: Verdict[] = [];

  // 1. Every task in accounting's copy with the same assignee history, and in analytics'.
  const trackerTasks = await tracker<{ public_id: string; status: string }>('select public_id, status from tasks');
  const accountingTasks = new Set(
    (await accounting<{ public_id: string }>('select public_id from tasks')).map((r) => r.public_id),
  );
  const assignedEvents = await tracker<{ event_id: string; task_id: string; assignee_id: string }>(
    `select event_id, envelope->'data'->>'task_id' as task_id, envelope->'data'->>'assignee_id' as assignee_id
       from outbox where event_name = 'Task.Assigned' order by position`,
  );
  const fees = await accounting<{ idempotency_key: string; task_id: string; account_id: string }>(
    `select idempotency_key, task_id, account_id from transactions where kind = 'fee' order by occurred_at, id`,
  );
  const historyOf = (rows: ReadonlyArray<{ task_id: string; id: string }>) => {
    const map = new Map<string, string[]>();
    for (const r of rows) map.set(r.task_id, [...(map.get(r.task_id) ?? []), r.id]);
    return map;
  };
  const trackerHistory = historyOf(assignedEvents.map((e) => ({ task_id: e.task_id, id: e.assignee_id })));
  const accountingHistory = historyOf(fees.map((f) => ({ task_id: f.task_id, id: f.account_id })));
  const copyProblems: string[] = [];
  for (const t of trackerTasks) {
    if (!accountingTasks.has(t.public_id)) copyProblems.push(`task ${t.public_id} is not in accounting`);
    const a = (trackerHistory.get(t.public_id) ?? []).join(' → ');
    const b = (accountingHistory.get(t.public_id) ?? []).join(' → ');
    if (a !== b) copyProblems.push(`task ${t.public_id}: assignees ${a} in the tracker, ${b || 'none'} in accounting`);
  }
  // Analytics keeps each task (by `task_id`) for its most expensive task, not who it was assigned to.
  const inAnalytics = new Set(
    (await db.query('analytics')<{ task_id: string }>('select task_id::text as task_id from tasks')).map(
      (r) => r.task_id,
    ),
  );
  for (const t of trackerTasks)
    if (!inAnalytics.has(t.public_id)) copyProblems.push(`task ${t.public_id} is not in analytics`);
  verdicts.push(
    verdict(
      'every tracker task is in accounting with the same assignee history, and in analytics',
      copyProblems,
      `${trackerTasks.length} tasks, ${assignedEvents.length} assignments; ${inAnalytics.size} tasks in analytics`,
    ),
  );

  // 2. One fee per Task.Assigned, one reward per completion, one price within bounds per task.
  const feeKeys = new Map<string, number>();
  for (const f of fees) feeKeys.set(f.idempotency_key, (feeKeys.get(f.idempotency_key) ?? 0) + 1);
  const eventIds = new Set(assignedEvents.map((e) => `fee:${e.event_id}`));
  const feeProblems: string[] = [];
  for (const e of assignedEvents) {
    const n = feeKeys.get(`fee:${e.event_id}`) ?? 0;
    if (n !== 1) feeProblems.push(`Task.Assigned ${e.event_id} (task ${e.task_id}) has ${n} fees`);
  }
  for (const key of feeKeys.keys()) if (!eventIds.has(key)) feeProblems.push(`fee ${key} has no Task.Assigned`);
  const completedEvents = await tracker<{ task_id: string }>(
    "select envelope->'data'->>'task_id' as task_id from outbox where event_name = 'Task.Completed'",
  );
  const rewards = await accounting<{ task_id: string; n: number }>(
    "select task_id, count(*)::int as n from transactions where kind = 'reward' group by task_id",
  );
  const rewardCount = new Map(rewards.map((r) => [r.task_id, r.n]));
  const completedSet = new Set(completedEvents.map((e) => e.task_id));
  for (const e of completedEvents) {
    const n = rewardCount.get(e.task_id) ?? 0;
    if (n !== 1) feeProblems.push(`completed task ${e.task_id} has ${n} rewards`);
  }
  for (const r of rewards)
    if (!completedSet.has(r.task_id)) feeProblems.push(`reward for ${r.task_id}, never completed`);
  const doneInTracker = trackerTasks.filter((t) => t.status === 'done').length;
  if (doneInTracker !== completedEvents.length)
    feeProblems.push(`${doneInTracker} tasks done in the tracker, ${completedEvents.length} Task.Completed`);
  const prices = await accounting<{ task_id: string; n: number; fee: number; reward: number }>(
    `select task_id, count(*)::int as n, min(assignment_fee) as fee, min(completion_reward) as reward
       from task_prices group by task_id`,
  );
  const priceOf = new Map(prices.map((p) => [p.task_id, p]));
  for (const t of trackerTasks) {
    const p = priceOf.get(t.public_id);
    if (!p || p.n !== 1) feeProblems.push(`task ${t.public_id} has ${p?.n ?? 0} prices`);
    else if (p.fee < 1000 || p.fee > 2000 || p.reward < 2000 || p.reward > 4000)
      feeProblems.push(`task ${t.public_id} priced fee ${p.fee} reward ${p.reward} cents, outside $10–20 / $20–40`);
  }
  verdicts.push(
    verdict(
      'every Task.Assigned has one fee, every completion one reward, every task one price within bounds',
      feeProblems,
      `${fees.length} fees, ${rewards.length} rewards, ${prices.length} prices`,
    ),
  );

  // 3. Balances, payouts, emails.
  const balanceProblems = (
    await accounting<{ account_id: string; balance: number; sum: number; last: number | null }>(
      `select b.account_id, b.balance, coalesce(sum(t.amount), 0)::int as sum,
              (select balance_after from transactions x where x.account_id = b.account_id order by id desc limit 1) as last
         from balances b left join transactions t on t.account_id = b.account_id
        group by b.account_id, b.balance`,
    )
  )
    .filter((r) => r.balance !== r.sum || (r.last !== null && r.last !== r.balance))
    .map((r) => `account ${r.account_id}: balance ${r.balance}, ledger sum ${r.sum}, last balance_after ${r.last}`);
  const [accountCount] = await accounting<{ n: number }>('select count(*)::int as n from balances');
  verdicts.push(
    verdict('every balance is the sum of its ledger entries', balanceProblems, `${accountCount?.n ?? 0} balances`),
  );

  const payouts = await accounting<{ account_id: string; business_day: string; n: number; email: string | null }>(
    `select t.account_id, t.business_day::text, count(*)::int as n, min(a.email) as email
       from transactions t left join accounts a on a.public_id = t.account_id
      where t.kind = 'payout' group by t.account_id, t.business_day`,
  );
  const payoutProblems = payouts
    .filter((p) => p.n > 1)
    .map((p) => `account ${p.account_id} paid ${p.n} times for ${p.business_day}`);
  const mails = (await (await fetch(`${input.mailUrl}/email`)).json()) as Mail[];
  const mailsTo = new Map<string, number>();
  for (const m of mails.filter((m) => m.subject.startsWith('aTES payout for ')))
    for (const to of m.to) mailsTo.set(to.address.toLowerCase(), (mailsTo.get(to.address.toLowerCase()) ?? 0) + 1);
  const payoutsTo = new Map<string, number>();
  for (const p of payouts) {
    if (!p.email) payoutProblems.push(`account ${p.account_id} was paid and accounting knows no email for it`);
    else payoutsTo.set(p.email.toLowerCase(), (payoutsTo.get(p.email.toLowerCase()) ?? 0) + p.n);
  }
  for (const [email, n] of payoutsTo) {
    const got = mailsTo.get(email) ?? 0;
    if (got !== n) payoutProblems.push(`${email}: ${n} payouts, ${got} payout emails in MailDev`);
  }
  for (const [email, got] of mailsTo)
    if (!payoutsTo.has(email)) payoutProblems.push(`${email}: ${got} payout emails and no payout`);
  const [closed] = await accounting<{ n: number }>(
    "select count(*)::int as n from business_days where status = 'closed'",
  );
  verdicts.push(
    verdict(
      'at most one payout per account and day, and one email per payout',
      payoutProblems,
      `${payouts.length} payouts, ${[...mailsTo.values()].reduce((a, b) => a + b, 0)} payout emails, ${closed?.n ?? 0} days closed`,
    ),
  );

  // 4. Analytics' earnings, negative counts and most expensive tasks against accounting's data.
  for (const f of await analyticsFindings(accounting, db.query('analytics')))
    verdicts.push(verdict(f.name, f.problems, f.figures));

  // 5. Dead letters: none open (the caller replays and checks again when there are).
  const deadLetters: string[] = [];
  for (const s of services)
    for (const d of await db.query(s)<{ id: string; consumer: string; event_name: string | null; reason: string }>(
      'select id::text, consumer, event_name, reason from dead_letters where replayed_at is null and discarded_at is null',
    ))
      deadLetters.push(`${s} #${d.id} ${d.consumer} ${d.event_name ?? '(not an event)'}: ${d.reason}`);
  verdicts.push(verdict('no open dead letters', deadLetters, `${deadLetters.length} open`));

  // 6. Requests: no 5xx (or no answer) but from a service while a fault was on it; every 2xx kept.
  const windows = input.faults.map((f) => ({
    services: affects(f),
    from: f.startedAt - 1_000,
    to: f.endedAt + input.graceMs,
  }));
  const unexplained = summary.failures.filter((f) => {
    // In flight while a fault began or ended: from when it was sent to when it was answered.
    const [sent, answered] = [Date.parse(f.at), Date.parse(f.answered_at)];
    return !windows.some((w) => w.services.includes(f.service as Service) && answered >= w.from && sent <= w.to);
  });
  const requestProblems = unexplained.map(
    (f) =>
      `${f.at} ${f.service} ${f.method} ${f.path} → ${f.status || f.error || 'no answer'} with no fault on ${f.service}`,
  );
  const byId = new Map(trackerTasks.map((t) => [t.public_id, t.status]));
  for (const id of summary.tasks.created_ids)
    if (!byId.has(id)) requestProblems.push(`task ${id} was created (201) and is missing`);
  for (const id of summary.tasks.completed_ids)
    if (byId.get(id) !== 'done')
      requestProblems.push(`task ${id} was completed (200) and is ${byId.get(id) ?? 'missing'}`);
  const authAccounts = new Map(
    (
      await db.query('auth')<{ public_id: string; role: string; active: boolean }>(
        'select public_id::text, role, active from accounts',
      )
    ).map((a) => [a.public_id, a]),
  );
  for (const a of summary.accounts.items) {
    const found = authAccounts.get(a.id);
    if (!found) requestProblems.push(`account ${a.id} was created (201) and is missing`);
    else if (found.role !== a.role || found.active !== a.active)
      requestProblems.push(
        `account ${a.id} is ${found.role}/${found.active ? 'active' : 'inactive'}, answered ${a.role}/${a.active ? 'active' : 'inactive'}`,
      );
  }
  verdicts.push(
    verdict(
      'no request answered 5xx but while its own service was down, and none answered 2xx missing',
      requestProblems,
      `${summary.requests.total} requests, ${summary.failures.length} failed (${summary.failures.length - unexplained.length} during a fault on their service)`,
    ),
  );
  return verdicts;
};
