import { refuse } from '@ates/errors';
import { discardDeadLetters, getDeadLetter, listDeadLetters, replayDeadLetters } from '@ates/event-bus';
import { busTarget, withBus } from '../bus/target.js';

export interface DlqOptions {
  readonly service: string;
  readonly consumer?: string;
  readonly all?: boolean;
  readonly limit?: string;
}

type Print = (line: string) => void;

const cut = (text: string, width: number): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** `ates dlq list`: open dead letters (or all with --all), oldest first. */
export const dlqList = async (options: DlqOptions, print: Print): Promise<void> => {
  const target = await busTarget(options.service);
  const letters = await withBus(target, (db) =>
    listDeadLetters(db, {
      consumer: options.consumer,
      all: options.all,
      limit: options.limit ? Number(options.limit) : 100,
    }),
  );
  if (letters.length === 0) return print(`No ${options.all ? '' : 'open '}dead letters in ${target.service}.`);
  print(
    `${'id'.padStart(6)}  ${'state'.padEnd(9)} ${'consumer'.padEnd(22)} ${'event'.padEnd(22)} ${'tries'.padStart(5)}  ${'failed at'.padEnd(24)} reason`,
  );
  for (const l of letters) {
    const event = l.eventName ? `${l.eventName}${l.eventVersion ? ` v${l.eventVersion}` : ''}` : '-';
    print(
      `${String(l.id).padStart(6)}  ${l.state.padEnd(9)} ${cut(l.consumer, 22).padEnd(22)} ${cut(event, 22).padEnd(22)} ${String(l.attempts).padStart(5)}  ${l.failedAt.toISOString().padEnd(24)} ${cut(l.reason, 80)}`,
    );
  }
};

const idOf = (raw: string): number => {
  if (!/^\d+$/.test(raw)) throw refuse('cli.invalid_arguments', `Not a dead letter id: ${JSON.stringify(raw)}.`);
  return Number(raw);
};

/** `ates dlq show <id>`: everything recorded, the body as received. */
export const dlqShow = async (id: string, options: DlqOptions, print: Print): Promise<void> => {
  const letter = await withBus(await busTarget(options.service), (db) => getDeadLetter(db, idOf(id)));
  print(JSON.stringify(letter, null, 2));
};

const selection = (id: string | undefined, options: DlqOptions): { id?: number; consumer?: string } => {
  if (id !== undefined && options.all)
    throw refuse('cli.invalid_arguments', 'Give a dead letter id or --all, not both.');
  if (id === undefined && !options.all)
    throw refuse(
      'cli.invalid_arguments',
      'Give a dead letter id, or --all for every open one (of --consumer, when given).',
    );
  return id !== undefined ? { id: idOf(id) } : options.consumer ? { consumer: options.consumer } : {};
};

/** `ates dlq replay <id>|--all`: back to the consumer group that gave up on it. */
export const dlqReplay = async (id: string | undefined, options: DlqOptions, print: Print): Promise<void> => {
  const chosen = selection(id, options);
  const count = await withBus(await busTarget(options.service), async (db, transport) =>
    replayDeadLetters(db, await transport(), chosen),
  );
  print(`Replayed ${count} dead letter${count === 1 ? '' : 's'}.`);
};

/** `ates dlq discard <id>|--all`: kept for the record, never replayed. */
export const dlqDiscard = async (id: string | undefined, options: DlqOptions, print: Print): Promise<void> => {
  const chosen = selection(id, options);
  const count = await withBus(await busTarget(options.service), (db) => discardDeadLetters(db, chosen));
  print(`Discarded ${count} dead letter${count === 1 ? '' : 's'}.`);
};
