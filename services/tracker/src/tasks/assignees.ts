import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ReplicaStandings } from '@ates/account-replica';
import type { TrackerDb } from '../db.js';
import { eligibleAssigneeIds, pickAssignee } from './store.js';

/**
 * Where a new task's assignee is drawn from (T3): uniformly at random among the eligible
 * accounts. `forget()` is called when a drawn account turned out not to be eligible any more
 * (the saving statement checks it), so that the next draw sees the table as it is.
 */
export interface AssigneePool {
  draw(): Promise<string | undefined>;
  forget(): void;
}

/** Draws from the table every time (one round trip per draw). */
export const tableAssignees = (db: Kysely<TrackerDb>): AssigneePool => ({
  draw: () => pickAssignee(db),
  forget: () => undefined,
});

/**
 * Draws from memory: the ids of the eligible accounts, read from the table once and kept while
 * the service's account standings listen for changes of `accounts` (every write of the accounts
 * consumer NOTIFYs, whichever process applied it, see @ates/account-replica). Any change, and
 * any loss of the LISTEN connection, drops the list; the next draw reads it again. While not
 * listening, every draw reads the table. A list read while a change arrived is used for that draw
 * but not kept. The draw stays uniform (`randomInt` over the list), and an account deactivated a
 * moment ago that is still in a list is caught by the statement that saves the task, which
 * checks the assignee again in the same snapshot (`insertTaskPublishing`).
 */
export const keptAssignees = (
  db: Kysely<TrackerDb>,
  standings: Pick<ReplicaStandings, 'listening' | 'onChange'>,
): AssigneePool => {
  let kept: readonly string[] | undefined;
  let loading: Promise<readonly string[]> | undefined;
  let changes = 0;
  const forget = (): void => {
    changes += 1;
    kept = undefined;
    loading = undefined;
  };
  standings.onChange(forget);
  const load = (): Promise<readonly string[]> => {
    if (loading) return loading;
    const before = changes;
    const read: Promise<readonly string[]> = eligibleAssigneeIds(db).then(
      (ids) => {
        if (loading === read) loading = undefined;
        if (changes === before && standings.listening()) kept = ids;
        return ids;
      },
      (error: unknown) => {
        if (loading === read) loading = undefined;
        throw error;
      },
    );
    // Only one read at a time while listening; while not listening every draw reads.
    if (standings.listening()) loading = read;
    return read;
  };
  return {
    draw: async () => {
      const ids = kept ?? (await load());
      return ids.length === 0 ? undefined : ids[randomInt(ids.length)];
    },
    forget,
  };
};
