import { describe, it } from 'vitest';
import { decideSpecification } from '@ates/event-bus/testing';
import { decideReversal, type Original, type ReversalState } from './decide.js';

const worker = '11111111-1111-4111-8111-111111111111';
const taskId = '44444444-4444-4444-8444-444444444444';
const feeId = '55555555-5555-4555-8555-555555555555';
const reversalId = '66666666-6666-4666-8666-666666666666';
const utc = { timeZone: 'UTC', dayEndMinutes: 1440 };
const now = new Date('2026-03-03T10:00:00.000Z');
const fee: Original = { transaction_id: feeId, account_id: worker, kind: 'fee', amount: -1500, task_id: taskId };

const state = (over: Partial<ReversalState> = {}): ReversalState => ({
  calendar: utc,
  lastClosedDay: null,
  original: fee,
  reversed: false,
  balance: { balance: -4000, version: 3 },
  ...over,
});
const command = { reversalId, transactionId: feeId, reason: 'assigned by mistake' };
const reverse = decideSpecification(decideReversal);

describe('correcting the ledger by reversal (A2)', () => {
  it('given a fee, when it is reversed, then its amount comes back to the account on today, naming the fee', () => {
    reverse
      .given(state())
      .when(command, now)
      .then(
        [
          {
            name: 'Transaction.Applied',
            data: {
              transaction_id: reversalId,
              account_id: worker,
              kind: 'reversal',
              amount: 1500,
              balance_after: -2500,
              account_version: 4,
              task_id: taskId,
              reverses: { transaction_id: feeId, kind: 'fee' },
              business_day: '2026-03-03',
            },
          },
        ],
        { idempotency_key: `reversal:${feeId}`, reason: 'assigned by mistake' },
      );
  });

  it('given a reward of a closed day, when it is reversed, then the reversal goes to the open day', () => {
    const reward: Original = { ...fee, kind: 'reward', amount: 3200 };
    reverse
      .given(state({ original: reward, lastClosedDay: '2026-03-03', balance: { balance: 0, version: 9 } }))
      .when(command, now)
      .then([
        {
          name: 'Transaction.Applied',
          data: { amount: -3200, balance_after: -3200, account_version: 10, business_day: '2026-03-04' },
        },
      ]);
  });

  it('refuses a transaction there is none of, a second reversal, a payout and a reversal', () => {
    reverse
      .given(state({ original: undefined }))
      .when(command, now)
      .thenRefuses('transaction.not_found', /55555555/);
    reverse
      .given(state({ reversed: true }))
      .when(command, now)
      .thenRefuses('transaction.already_reversed');
    reverse
      .given(state({ original: { ...fee, kind: 'payout', task_id: null } }))
      .when(command, now)
      .thenRefuses('transaction.not_reversible', /payout/);
    reverse
      .given(state({ original: { ...fee, kind: 'reversal' } }))
      .when(command, now)
      .thenRefuses('transaction.not_reversible', /reversal/);
  });
});
