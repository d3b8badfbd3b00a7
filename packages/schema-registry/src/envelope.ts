import { randomUUID } from 'node:crypto';
import { currentTraceparent } from '@ates/trace-context';
import type { AnyEvent, DataOf, EventName, EventOf, VersionOf } from './events.generated.js';

export interface EnvelopeMeta {
  /** The producing service, e.g. `tracker`. */
  readonly producer: string;
  /** Defaults to the new event's own id (it starts a chain). */
  readonly correlationId?: string;
  /** The event_id of the event being handled; defaults to null (a request or a job caused it). */
  readonly causationId?: string | null;
  /** W3C traceparent of the span producing the event; by default the current one (@ates/trace-context), if any. */
  readonly traceparent?: string;
}

/** The envelope's traceparent: the given one, else the current span's; absent (not undefined, which the schema rejects) when there is none. */
const traceparentOf = (meta: { readonly traceparent?: string }): { traceparent?: string } => {
  const traceparent = meta.traceparent ?? currentTraceparent();
  return traceparent === undefined ? {} : { traceparent };
};

/**
 * Wraps `data` in a fresh envelope: a new event_id, event_time = now (UTC).
 * It does not validate; producers validate the result before saving it to the outbox.
 */
export const newEnvelope = <N extends EventName, V extends VersionOf<N>>(
  name: N,
  version: V,
  data: DataOf<N, V>,
  meta: EnvelopeMeta,
): EventOf<N, V> => {
  const eventId = randomUUID();
  const envelope = {
    event_id: eventId,
    event_name: name,
    event_version: version,
    event_time: new Date().toISOString(),
    producer: meta.producer,
    correlation_id: meta.correlationId ?? eventId,
    causation_id: meta.causationId ?? null,
    ...traceparentOf(meta),
    data,
  };
  // TypeScript cannot resolve EventMap[N][V] for generic N and V; the fields above are exactly its shape.
  return envelope as unknown as EventOf<N, V>;
};

/**
 * An event as a domain function decides it: name, version and data, no envelope. The use case
 * that runs the decision wraps it (`envelopesOf`) with ids, time and producer.
 */
export type BareEvent<N extends EventName = EventName, V extends VersionOf<N> = VersionOf<N>> = {
  readonly name: N;
  readonly version: V;
  readonly data: DataOf<N, V>;
};

/** Any bare event of the registry, as a union discriminated by `name` (then `version`). */
export type AnyBareEvent = { [N in EventName]: { [V in VersionOf<N>]: BareEvent<N, V> }[VersionOf<N>] }[EventName];

export interface EnvelopesMeta extends Omit<EnvelopeMeta, 'correlationId'> {
  /** The time of the decision: every envelope's `event_time`. */
  readonly now: Date;
  /** Defaults to the first event's id: the events of one decision share one correlation. */
  readonly correlationId?: string;
}

/**
 * Wraps the events one decision produced, in order: each gets a fresh id and `event_time = now`;
 * all share one correlation id; the first is caused by `causationId` (the event being handled, or
 * null for a request), each later one by the event before it.
 */
export const envelopesOf = (events: readonly AnyBareEvent[], meta: EnvelopesMeta): AnyEvent[] => {
  const wrapped: AnyEvent[] = [];
  for (const event of events) {
    const previous = wrapped.at(-1);
    const envelope = {
      event_id: randomUUID(),
      event_name: event.name,
      event_version: event.version,
      event_time: meta.now.toISOString(),
      producer: meta.producer,
      correlation_id: '',
      causation_id: previous ? previous.event_id : (meta.causationId ?? null),
      ...traceparentOf(meta),
      data: event.data,
    };
    envelope.correlation_id = meta.correlationId ?? wrapped[0]?.correlation_id ?? envelope.event_id;
    wrapped.push(envelope as unknown as AnyEvent);
  }
  return wrapped;
};
