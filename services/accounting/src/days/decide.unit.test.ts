import { describe, expect, it } from 'vitest';
import { decideSpecification } from '@ates/event-bus/testing';
import { decideCloseStart, decidePayouts, decideSummary, type AccountAtClose } from './decide.js';

const utc = { timeZone: 'UTC', dayEndMinutes: 1440 };
const day = '2026-03-02';
const afterDay = new Date('2026-03-03T00:00:30.000Z');
const [rich, poor, even, late] = [
  '11111111-1111-4111-8111-111111111111',
  '22222222-2222-4222-8222-222222222222',
  '33333333-3333-4333-8333-333333333333',
  '44444444-4444-4444-8444-444444444444',
];
const tx = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const transactionIds = new Map([rich, poor, even, late].map((a, i) => [a, tx(i + 1)]));

const start = decideSpecification(decideCloseStart);
const payouts = decideSpecification(decidePayouts);
const summary = decideSpecification(decideSummary);

describe('starting a close (A6)', () => {
  it('given an open day that has ended, when it is closed, then it is closing', () => {
    start.given({ status: 'open', calendar: utc }).when({ day }, afterDay).thenNothingHappens();
    expect(decideCloseStart({ status: 'open', calendar: utc }, { day }, afterDay)).toMatchObject({ state: 'closing' });
  });

  it('given a day that has not ended, when it is closed, then it is refused', () => {
    start
      .given({ status: 'open', calendar: utc })
      .when({ day }, new Date('2026-03-02T23:59:59.999Z'))
      .thenRefuses('day.not_ended', /2026-03-02 has not ended/);
  });

  it('given a close under way or done, when it is started again, then it goes on where it is', () => {
    expect(decideCloseStart({ status: 'closing', calendar: utc }, { day }, afterDay)).toMatchObject({
      state: 'closing',
    });
    expect(decideCloseStart({ status: 'closed', calendar: utc }, { day }, afterDay)).toMatchObject({ state: 'closed' });
  });
});

describe('paying out (A4, A6)', () => {
  const accounts: AccountAtClose[] = [
    { account_id: rich, balance: { balance: 5800, version: 4 }, later: 0 },
    { account_id: poor, balance: { balance: -1200, version: 2 }, later: 0 },
    { account_id: even, balance: { balance: 0, version: 2 }, later: 0 },
    // Earned 1,000 on the day closing, then a 1,500 fee was posted after the day ended.
    { account_id: late, balance: { balance: -500, version: 3 }, later: -1500 },
  ];

  it('given positive, negative and zero balances, when the day closes, then only what was earned is paid, once per account', () => {
    const { state } = payouts
      .given({ day, accounts, paid: new Set() })
      .when({ transactionIds }, afterDay)
      .then([
        {
          name: 'Transaction.Applied',
          data: {
            account_id: rich,
            kind: 'payout',
            amount: -5800,
            balance_after: 0,
            account_version: 5,
            task_id: null,
          },
        },
        { name: 'Payout.Made', data: { account_id: rich, amount: 5800, business_day: day, transaction_id: tx(1) } },
        { name: 'Transaction.Applied', data: { account_id: late, amount: -1000, balance_after: -1500 } },
        { name: 'Payout.Made', data: { account_id: late, amount: 1000 } },
      ]);
    expect(state.balances).toEqual(
      new Map([
        [rich, { balance: 0, version: 5 }],
        [late, { balance: -1500, version: 4 }],
      ]),
    );
  });

  it('given an account paid already for the day, when the close runs again, then it is not paid twice', () => {
    payouts
      .given({ day, accounts: [accounts[0] as AccountAtClose], paid: new Set([`payout:${rich}:${day}`]) })
      .when({ transactionIds }, afterDay)
      .thenNothingHappens();
  });
});

describe('the summary of a closed day (A5–A7)', () => {
  const figures = {
    business_day: day,
    fees: 4500,
    rewards: 3200,
    payouts: 6800,
    payout_count: 2,
    negative_accounts: 2,
  };

  it('given every payout made, when the day is summed up, then management earned fees − rewards and BusinessDay.Closed says so', () => {
    summary
      .given({ figures, unpaid: 0 })
      .when({}, afterDay)
      .then(
        [
          {
            name: 'BusinessDay.Closed',
            data: { ...figures, management_earnings: 1300, closed_at: afterDay.toISOString() },
          },
        ],
        { management_earnings: 1300, closed_at: afterDay },
      );
  });

  it('lets management earnings be negative when rewards exceed fees', () => {
    summary
      .given({ figures: { ...figures, fees: 1000, rewards: 4000 }, unpaid: 0 })
      .when({})
      .then([{ data: { management_earnings: -3000 } }]);
  });

  it('given an account still owed its payout, when the day is summed up, then it is refused', () => {
    summary
      .given({ figures, unpaid: 1 })
      .when({})
      .thenRefuses('server.internal_error', /1 accounts are still owed/);
  });
});
