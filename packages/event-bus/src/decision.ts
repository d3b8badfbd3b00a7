import type { AppError } from '@ates/errors';
import type { AnyBareEvent } from '@ates/schema-registry';

/**
 * What a domain function decides: the new state and the events that say what happened (bare —
 * the use case wraps them in envelopes), or the refusal that explains why not. Domain functions
 * are plain and deterministic: state, command and `now` in, a Decision out; no I/O, no clock, no
 * random numbers (a random draw or a new id is part of the command or the state).
 */
export type Decision<S, E extends AnyBareEvent = AnyBareEvent> = Change<S, E> | AppError;

export interface Change<S, E extends AnyBareEvent = AnyBareEvent> {
  readonly state: S;
  /** Empty when nothing changed (the command asked for the state that already is). */
  readonly events: readonly E[];
}

/**
 * A domain function in the one shape every service writes them in. `S` is what it must know
 * (the entity, and any facts the rule needs such as "is this email taken"); `T`, what it decides
 * the entity becomes — the same type unless the facts are more than the entity.
 */
export type Decide<S, C, E extends AnyBareEvent = AnyBareEvent, T = S> = (
  state: S,
  command: C,
  now: Date,
) => Decision<T, E>;
