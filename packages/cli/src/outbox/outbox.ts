import { refuse } from '@ates/errors';
import { outboxStatus, replayOutbox } from '@ates/event-bus';
import { busTarget, withBus } from '../bus/target.js';

type Print = (line: string) => void;

/** `ates outbox status`: what waits to be sent and since when. */
export const outboxStatusCommand = async (options: { service: string }, print: Print): Promise<void> => {
  const target = await busTarget(options.service);
  const status = await withBus(target, (db) => outboxStatus(db));
  print(`${target.service} outbox`);
  print(`  unsent events:        ${status.backlog}`);
  print(
    `  oldest unsent:        ${status.oldestUnsentAgeSeconds === null ? '-' : `${status.oldestUnsentAgeSeconds.toFixed(1)} s ago`}`,
  );
  print(`  last sent:            ${status.lastSentAt ? status.lastSentAt.toISOString() : '-'}`);
};

export interface OutboxReplayOptions {
  readonly service: string;
  readonly to: string;
  readonly event?: string[];
  readonly since?: string;
}

/** `ates outbox replay --to <group>`: resend retained events to one consumer group (rebuilding it). */
export const outboxReplayCommand = async (options: OutboxReplayOptions, print: Print): Promise<void> => {
  const since = options.since === undefined ? undefined : new Date(options.since);
  if (since && Number.isNaN(since.getTime()))
    throw refuse(
      'cli.invalid_arguments',
      `--since must be a date or time, e.g. 2024-03-03T00:00:00Z; got ${JSON.stringify(options.since)}.`,
    );
  const target = await busTarget(options.service);
  const count = await withBus(target, async (db, transport) =>
    replayOutbox(db, await transport(), {
      group: options.to,
      ...(options.event ? { eventNames: options.event } : {}),
      ...(since ? { since } : {}),
    }),
  );
  print(`Sent ${count} retained ${target.service} event${count === 1 ? '' : 's'} to ${options.to}.`);
};
