import { Type, type Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { BusinessCalendar } from '@ates/business-days';
import { refuse } from '@ates/errors';
import { problemResponses, type ApiScope } from '@ates/http';
import { mayReverse } from '../access.js';
import type { AccountingDb } from '../db.js';
import { Cents } from '../http.js';
import { maxReasonLength, reverseTransaction } from './commands.js';
import type { Reversal } from './decide.js';

const ReversalView = Type.Object(
  {
    transaction_id: Type.String({ format: 'uuid', description: 'The reversing transaction' }),
    account_id: Type.String({ format: 'uuid' }),
    amount: Cents('The opposite of the original amount'),
    balance_after: Cents("The account's balance right after it"),
    task_id: Type.String({ format: 'uuid' }),
    reverses: Type.Object({
      transaction_id: Type.String({ format: 'uuid' }),
      kind: Type.Union([Type.Literal('fee'), Type.Literal('reward')]),
    }),
    reason: Type.String(),
    business_day: Type.String({ format: 'date', description: "Today's open day: closed days never change" }),
    occurred_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Reversal' },
);

const reversalView = (r: Reversal): Static<typeof ReversalView> => ({
  ...r,
  task_id: r.task_id ?? '',
  occurred_at: r.occurred_at.toISOString(),
});

/** Corrections in the JSON API (A2): a fee or a reward undone by a reversing transaction, never an edit. */
export const registerCorrectionRoutes = (api: ApiScope, db: Kysely<AccountingDb>, calendar: BusinessCalendar): void => {
  api.addSchema(ReversalView);
  api.post(
    '/api/transactions/:id/reverse',
    {
      schema: {
        tags: ['corrections'],
        summary:
          "Reverse a fee or a reward posted by mistake (admins and accountants): a new transaction of the opposite amount, on today's open day, naming the original and why. At most once per transaction.",
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: maxReasonLength, pattern: '\\S' }) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Ref(ReversalView), ...problemResponses(400, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      if (!mayReverse(request.caller.role)) throw refuse('transaction.reverse_not_allowed');
      const reversal = await reverseTransaction(
        db,
        { transactionId: request.params.id, reason: request.body.reason.trim() },
        calendar,
      );
      return reply.code(201).send(reversalView(reversal));
    },
  );
};
