import { randomUUID } from 'node:crypto';
import type { DataOf, EventName, EventOf, VersionOf } from './events.generated.js';

export interface EnvelopeMeta {
  /** The producing service, e.g. `tracker`. */
  readonly producer: string;
  /** Defaults to the new event's own id (it starts a chain). */
  readonly correlationId?: string;
  /** The event_id of the event being handled; defaults to null (a request or a job caused it). */
  readonly causationId?: string | null;
  /** W3C traceparent of the current span, if any. */
  readonly traceparent?: string;
}

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
    // An absent traceparent must be absent, not undefined: the schema rejects undefined.
    ...(meta.traceparent === undefined ? {} : { traceparent: meta.traceparent }),
    data,
  };
  // TypeScript cannot resolve EventMap[N][V] for generic N and V; the fields above are exactly its shape.
  return envelope as unknown as EventOf<N, V>;
};
