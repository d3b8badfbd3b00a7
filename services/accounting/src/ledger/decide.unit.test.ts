import { describe, expect, it } from 'vitest';
import { decideSpecification } from '@ates/event-bus/testing';
import type { TaskPrices } from '../prices/prices.js';
import { decidePostings, postingDay, type Fact, type LedgerState } from './decide.js';

const worker = '11111111-1111-4111-8111-111111111111';
const other = '22222222-2222-4222-8222-222222222222';
const taskId = '44444444-4444-4444-8444-444444444444';
const utc = { timeZone: 'UTC', dayEndMinutes: 1440 };
const now = new Date('2026-03-03T10:00:00.000Z');
const price: TaskPrices = { task_id: taskId, assignment_fee: 1500, completion_reward: 3200, priced_at: now };

const state = (over: Partial<LedgerState> = {}): LedgerState => ({
  calendar: utc,
  lastClosedDay: null,
  balances: new Map(),
  posted: new Set(),
  ...over,
});

let ids = 0;
const id = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;
const fee = (accountId = worker, at = now, eventId = id()): Fact => ({
  kind: 'fee',
  eventId,
  accountId,
  taskId,
  occurredAt: at,
  price,
  transactionId: id(),
});
const reward = (accountId = worker, at = now): Fact => ({ ...fee(accountId, at), kind: 'reward' });

const post = decideSpecification(decidePostings);

describe('posting fees and rewards (A2–A4)', () => {
  it('given a new account, when its task is assigned, then the fee is debited and Transaction.Applied says so', () => {
    const assigned = fee();
    post
      .given(state())
      .when({ facts: [assigned] }, now)
      .then([
        {
          name: 'Transaction.Applied',
          data: {
            transaction_id: assigned.transactionId,
            account_id: worker,
            kind: 'fee',
            amount: -1500,
            balance_after: -1500,
            account_version: 1,
            task_id: taskId,
            reverses: null,
            business_day: '2026-03-03',
            occurred_at: now.toISOString(),
          },
        },
      ]);
  });

  it('given a negative balance, when the task is completed, then the reward pays it off (A4)', () => {
    const { state: posted } = post
      .given(state({ balances: new Map([[worker, { balance: -2500, version: 3 }]]) }))
      .when({ facts: [reward()] })
      .then([{ data: { kind: 'reward', amount: 3200, balance_after: 700, account_version: 4 } }]);
    expect(posted.balances.get(worker)).toEqual({ balance: 700, version: 4 });
  });

  it('given a fee already posted, when its event comes again (or twice in a batch), then it is posted once', () => {
    const assigned = fee();
    post
      .given(state({ posted: new Set([`fee:${assigned.eventId}`]) }))
      .when({ facts: [assigned] })
      .thenNothingHappens();
    post
      .given(state())
      .when({ facts: [assigned, { ...assigned, transactionId: id() }] })
      .then([{ data: { kind: 'fee' } }]);
  });

  it('given a completion rewarded already, when another completion of the same task arrives, then it is not paid again', () => {
    post
      .given(state({ posted: new Set([`reward:${taskId}`]) }))
      .when({ facts: [reward()] })
      .thenNothingHappens();
  });

  it('given a reassign, when every move arrives in one batch, then each account is debited at every assignment with running balances', () => {
    const { state: posted } = post
      .given(state({ balances: new Map([[other, { balance: 1000, version: 1 }]]) }))
      .when({ facts: [fee(worker), fee(other), fee(worker)] })
      .then([
        { data: { account_id: worker, balance_after: -1500, account_version: 1 } },
        { data: { account_id: other, balance_after: -500, account_version: 2 } },
        { data: { account_id: worker, balance_after: -3000, account_version: 2 } },
      ]);
    expect(posted.balances).toEqual(
      new Map([
        [worker, { balance: -3000, version: 2 }],
        [other, { balance: -500, version: 2 }],
      ]),
    );
  });
});

describe('the business day of a posting', () => {
  const lateEvening = new Date('2026-03-02T23:59:00.000Z');

  it('is the day the fact happened while that day is open, even when it arrives the next day', () => {
    expect(postingDay(state({ lastClosedDay: '2026-03-01' }), lateEvening, now)).toBe('2026-03-02');
  });

  it('is the open day it arrives in once the day it happened is closed', () => {
    post
      .given(state({ lastClosedDay: '2026-03-02' }))
      .when({ facts: [fee(worker, lateEvening)] }, now)
      .then([{ data: { business_day: '2026-03-03', occurred_at: lateEvening.toISOString() } }]);
  });

  it('is the day after the last closed one when a clock ahead of ours has closed today already', () => {
    expect(postingDay(state({ lastClosedDay: '2026-03-03' }), lateEvening, now)).toBe('2026-03-04');
  });

  it('follows the configured calendar: after 18:00 in Berlin it is the next day', () => {
    const berlin = { timeZone: 'Europe/Berlin', dayEndMinutes: 18 * 60 };
    expect(postingDay(state({ calendar: berlin }), new Date('2026-03-03T17:30:00.000Z'), now)).toBe('2026-03-04');
  });
});
