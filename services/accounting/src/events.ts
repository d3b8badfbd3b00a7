import { AppError } from '@ates/errors';
import type { Change, Decision } from '@ates/event-bus';
import { envelopesOf, type AnyBareEvent, type AnyEvent } from '@ates/schema-registry';

/**
 * Accounting's events in envelopes: produced by `accounting`, at the decision's `now`, and — when
 * an event caused them — in that event's correlation, caused by it (so an operator can follow a
 * Task.Assigned to its fee's Transaction.Applied).
 */
export const accountingEnvelopes = (
  events: readonly AnyBareEvent[],
  now: Date,
  cause?: Pick<AnyEvent, 'event_id' | 'correlation_id'>,
): AnyEvent[] =>
  envelopesOf(events, {
    producer: 'accounting',
    now,
    causationId: cause?.event_id ?? null,
    ...(cause ? { correlationId: cause.correlation_id } : {}),
  });

/** The change a rule accepted, or its refusal thrown. */
export const accepted = <S, E extends AnyBareEvent>(decision: Decision<S, E>): Change<S, E> => {
  if (decision instanceof AppError) throw decision;
  return decision;
};
