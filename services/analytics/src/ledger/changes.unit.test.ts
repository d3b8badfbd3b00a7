import { describe, expect, it } from 'vitest';
import type { DataOf, EventOf } from '@ates/schema-registry';
import { dayClosed, newId, payoutMade, transactionApplied } from '../testing/fixtures.js';
import { ledgerChanges, type LedgerEvent } from './changes.js';

const [polly, kiwi, task] = [newId(), newId(), newId()];
const tx = (data: Partial<DataOf<'Transaction.Applied', 1>>): LedgerEvent =>
  transactionApplied({
    transaction_id: newId(),
    account_id: polly,
    kind: 'fee',
    amount: -1500,
    balance_after: -1500,
    account_version: 1,
    task_id: task,
    reverses: null,
    business_day: '2026-03-01',
    occurred_at: '2026-03-01T10:00:00.000Z',
    recorded_at: '2026-03-01T10:00:01.000Z',
    ...data,
  }) as EventOf<'Transaction.Applied', 1>;

describe('ledgerChanges (A5, N2)', () => {
  it('sums fees, rewards and payouts into the day each event carries, whatever the order', () => {
    const payout = newId();
    const changes = ledgerChanges([
      payoutMade({
        transaction_id: payout,
        account_id: polly,
        amount: 1500,
        business_day: '2026-03-02',
        paid_at: '2026-03-03T00:00:00.000Z',
      }) as LedgerEvent,
      tx({ business_day: '2026-03-02', kind: 'reward', amount: 3000, account_version: 3, balance_after: 1500 }),
      tx({ account_version: 1 }),
      tx({
        transaction_id: payout,
        kind: 'payout',
        amount: -1500,
        task_id: null,
        account_version: 4,
        balance_after: 0,
        business_day: '2026-03-02',
      }),
      tx({ account_id: kiwi, amount: -1000, balance_after: -1000 }),
    ]);
    expect(changes.days).toEqual([
      { day: '2026-03-01', fees: 2500, rewards: 0, payouts: 0, payoutCount: 0 },
      { day: '2026-03-02', fees: 0, rewards: 3000, payouts: 1500, payoutCount: 1 },
    ]);
  });

  it("keeps each account's balance of the highest version, not the last to arrive", () => {
    const changes = ledgerChanges([
      tx({ account_version: 5, balance_after: 700 }),
      tx({ account_version: 2, balance_after: -300 }),
    ]);
    expect(changes.balances).toEqual([{ accountId: polly, balance: 700, version: 5 }]);
  });

  it("takes a task's posted reward, and a reversal undoes the kind it reverses", () => {
    const reward = tx({
      kind: 'reward',
      amount: 2800,
      business_day: '2026-03-03',
      occurred_at: '2026-03-03T09:00:00.000Z',
    });
    expect(ledgerChanges([reward]).rewards).toEqual([
      { taskId: task, reward: 2800, day: '2026-03-03', at: '2026-03-03T09:00:00.000Z' },
    ]);
    const reversal = ledgerChanges([
      tx({
        kind: 'reversal',
        amount: -2800,
        business_day: '2026-03-04',
        reverses: { transaction_id: newId(), kind: 'reward' },
      }),
      tx({
        kind: 'reversal',
        amount: 1500,
        business_day: '2026-03-04',
        reverses: { transaction_id: newId(), kind: 'fee' },
      }),
    ]);
    expect(reversal.days).toEqual([{ day: '2026-03-04', fees: -1500, rewards: -2800, payouts: 0, payoutCount: 0 }]);
    expect(reversal.reversedRewards).toEqual([task]);
    expect(reversal.rewards).toEqual([]);
  });

  it('records the first close of a day', () => {
    const close = {
      business_day: '2026-03-01',
      fees: 2500,
      rewards: 0,
      management_earnings: 2500,
      payouts: 0,
      payout_count: 0,
      negative_accounts: 2,
      closed_at: '2026-03-02T00:00:00.000Z',
    };
    const changes = ledgerChanges([
      dayClosed(close) as LedgerEvent,
      dayClosed({ ...close, negative_accounts: 9 }) as LedgerEvent,
    ]);
    expect(changes.closes).toEqual([close]);
    expect(changes.days).toEqual([]);
  });
});
