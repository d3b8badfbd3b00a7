import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { businessDayOf, type BusinessCalendar } from '@ates/business-days';
import { publishMany } from '@ates/event-bus';
import type { AccountingDb } from '../db.js';
import { shareDays } from '../days/store.js';
import { accepted, accountingEnvelopes } from '../events.js';
import { lockBalances } from '../ledger/store.js';
import { decideReversal, type Reversal } from './decide.js';
import { appendReversal, findOriginal } from './store.js';

/** A reason is what an auditor reads next to the reversal: required, and short. */
export const maxReasonLength = 500;

/**
 * Reverses one transaction (an operator's or an accountant's correction), in one transaction:
 * today's day is share-locked and the account's balance locked (the order every posting takes its
 * locks in), the rule decides, the reversal is appended, its Transaction.Applied published.
 */
export const reverseTransaction = (
  db: Kysely<AccountingDb>,
  command: { readonly transactionId: string; readonly reason: string },
  calendar: BusinessCalendar,
): Promise<Reversal> =>
  db.transaction().execute(async (tx) => {
    const now = new Date();
    const lastClosedDay = await shareDays(tx, [businessDayOf(now, calendar)]);
    const { original } = await findOriginal(tx, command.transactionId);
    const balances = await lockBalances(tx, original ? [original.account_id] : []);
    // Asked again under the account's lock: a concurrent reversal of the same one has committed by now.
    const { reversed } = await findOriginal(tx, command.transactionId);
    const balance = (original && balances.get(original.account_id)) || { balance: 0, version: 0 };
    const { state: reversal, events } = accepted(
      decideReversal(
        { calendar, lastClosedDay, original, reversed, balance },
        { reversalId: randomUUID(), transactionId: command.transactionId, reason: command.reason },
        now,
      ),
    );
    await appendReversal(tx, reversal, now);
    await publishMany(tx, accountingEnvelopes(events, now));
    return reversal;
  });
