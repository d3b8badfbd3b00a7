import { expect } from 'vitest';
import { AppError, type RefusalCode } from '@ates/errors';
import { envelopesOf, registry, type AnyBareEvent } from '@ates/schema-registry';
import type { Change, Decide, Decision } from './decision.js';

type Expected<T> = T extends object ? { readonly [K in keyof T]?: Expected<T[K]> } : T;

export interface Then<T, E extends AnyBareEvent> {
  /** The events, in order, each matched as `toMatchObject` does, and each valid against its schema once wrapped. */
  then(events: readonly Expected<E>[], state?: Expected<T>): Change<T, E>;
  /** Nothing to do: no events (the command asked for what already is). */
  thenNothingHappens(): Change<T, E>;
  /** Refused with this code (and, when given, a detail matching `detail`). */
  thenRefuses(code: RefusalCode, detail?: RegExp): AppError;
}

/** A fixed, readable moment for specifications that do not care when. */
export const specificationNow = new Date('2026-03-03T10:00:00.000Z');

/**
 * "Given state, when command, then events (or a refusal)" for a domain function, after emmett's
 * DeciderSpecification:
 *
 *   const spec = decideSpecification(decideCompleteTask);
 *   spec.given(openTask).when({ callerId: worker }).then([{ name: 'Task.Completed', data: { task_id } }]);
 *   spec.given(openTask).when({ callerId: other }).thenRefuses('task.not_assignee');
 */
export const decideSpecification = <S, C, E extends AnyBareEvent, T = S>(decide: Decide<S, C, E, T>) => ({
  given: (state: S) => ({
    when: (command: C, now: Date = specificationNow): Then<T, E> => {
      const decision: Decision<T, E> = decide(state, command, now);
      const change = (): Change<T, E> => {
        if (decision instanceof AppError)
          throw new Error(`expected events, got the refusal ${decision.code}: ${decision.message}`);
        return decision;
      };
      return {
        then: (events, expectedState) => {
          const result = change();
          expect(result.events).toMatchObject(events as unknown[]);
          expect(result.events).toHaveLength(events.length);
          for (const envelope of envelopesOf(result.events, { producer: 'specification', now })) {
            const validation = registry.validate(envelope);
            expect(validation.ok ? 'valid' : validation.reason).toBe('valid');
          }
          if (expectedState !== undefined) expect(result.state).toMatchObject(expectedState as object);
          return result;
        },
        thenNothingHappens: () => {
          const result = change();
          expect(result.events).toEqual([]);
          return result;
        },
        thenRefuses: (code, detail) => {
          if (!(decision instanceof AppError))
            throw new Error(`expected the refusal ${code}, got ${decision.events.length} events`);
          expect(decision.code).toBe(code);
          if (detail) expect(decision.message).toMatch(detail);
          return decision;
        },
      };
    },
  }),
});
