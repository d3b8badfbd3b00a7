import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '@ates/errors';
import { ledgerConsumer } from '../ledger/consumer.js';
import {
  assigned,
  completed,
  deliverBatch,
  freshAccountingDb,
  newId,
  utc,
  type TestAccountingDb,
} from '../testing/fixtures.js';
import { closeDay, reverse } from './commands.js';

// `ates accounting close-day` as the CLI calls it: its own connection, the calendar from the
// environment, one line per closed day.
let t: TestAccountingDb;
const lines: string[] = [];
const ctx = () => ({
  databaseUrl: t.url,
  env: { ACCOUNTING_TIMEZONE: 'UTC' },
  print: (l: string) => void lines.push(l),
});

beforeAll(async () => {
  t = await freshAccountingDb();
});
afterAll(() => t.close());

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'none',
    (e: unknown) => (isAppError(e) ? e.code : String(e)),
  );

describe('ates accounting close-day', () => {
  it('closes the given day and the open days before it, printing each, and repeats harmlessly', async () => {
    const [task, worker] = [newId(), newId()];
    await deliverBatch(t.db, ledgerConsumer(utc), [
      assigned(task, worker, new Date('2026-03-01T09:00:00Z')),
      completed(task, worker, new Date('2026-03-02T09:00:00Z')),
    ]);
    await closeDay(ctx(), { date: '2026-03-02' });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^Closed 2026-03-01: fees \$\d+, rewards \$0, management earned \$\d+; paid \$0 to 0 accounts, 1 in the negative\.$/,
    );
    expect(lines[1]).toMatch(
      /^Closed 2026-03-02: fees \$0, rewards \$\d+, .*paid \$\d+ to 1 account, 0 in the negative\.$/,
    );
    lines.length = 0;
    await closeDay(ctx(), { date: '2026-03-02' });
    expect(lines).toEqual([expect.stringMatching(/^Closed 2026-03-02: .* to 1 account/)]);
  });

  it('without --date closes every ended day that had postings, and leaves today and quiet days alone', async () => {
    await deliverBatch(t.db, ledgerConsumer(utc), [
      assigned(newId(), newId(), new Date('2026-03-05T09:00:00Z')),
      assigned(newId(), newId(), new Date()),
    ]);
    lines.length = 0;
    await closeDay(ctx(), {});
    expect(lines).toEqual([expect.stringMatching(/^Closed 2026-03-05: /)]);
  });

  it('refuses a date that is not one, a day that has not ended, and a wrong calendar variable', async () => {
    expect(await codeOf(closeDay(ctx(), { date: '2026-02-30' }))).toBe('cli.invalid_arguments');
    expect(await codeOf(closeDay(ctx(), { date: '2999-01-01' }))).toBe('day.not_ended');
    expect(await codeOf(closeDay({ ...ctx(), env: { ACCOUNTING_TIMEZONE: 'Mars/Olympus' } }, {}))).toBe(
      'config.invalid',
    );
  });
});

describe('ates accounting reverse', () => {
  it('reverses a fee, printing what moved, and refuses a second time, a bad id and an empty reason', async () => {
    const [task, worker] = [newId(), newId()];
    await deliverBatch(t.db, ledgerConsumer(utc), [assigned(task, worker, new Date())]);
    const fee = await t.db
      .selectFrom('transactions')
      .select(['transaction_id', 'amount'])
      .where('task_id', '=', task)
      .executeTakeFirstOrThrow();
    lines.length = 0;
    await reverse(ctx(), fee.transaction_id, { reason: 'wrong popug' });
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^Reversed the fee ${fee.transaction_id}: \\$\\d+ to ${worker} on .*, balance now \\$0\\.$`),
      ),
    ]);
    expect(await codeOf(reverse(ctx(), fee.transaction_id, { reason: 'again' }))).toBe('transaction.already_reversed');
    expect(await codeOf(reverse(ctx(), 'nope', { reason: 'x' }))).toBe('cli.invalid_arguments');
    expect(await codeOf(reverse(ctx(), fee.transaction_id, { reason: ' ' }))).toBe('cli.invalid_arguments');
  });
});
