import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) for the events aTES produces: an
 * HTTP request that carries a `traceparent` header (or none: then a new trace starts) runs in a
 * span of that trace, and so does the handling of a consumed event that carries one; every event
 * produced meanwhile records the current span as its envelope's `traceparent`. A tracing backend
 * can then follow a request through the outbox, the broker and every consumer.
 */
const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const zeros = (n: number): string => '0'.repeat(n);

const storage = new AsyncLocalStorage<string>();

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** A valid traceparent value, or undefined (malformed, an all-zero id, an unknown version). */
export const parseTraceparent = (value: unknown): { traceId: string; flags: string } | undefined => {
  if (typeof value !== 'string') return undefined;
  const match = traceparentPattern.exec(value.trim().toLowerCase());
  if (!match || match[1] === zeros(32) || match[2] === zeros(16)) return undefined;
  return { traceId: match[1] as string, flags: match[3] as string };
};

/** A new span: a child of `parent` when it is a valid traceparent, else the root of a new trace. */
export const childSpan = (parent?: unknown): string => {
  const parsed = parseTraceparent(parent);
  return `00-${parsed?.traceId ?? hex(16)}-${hex(8)}-${parsed?.flags ?? '01'}`;
};

/** Runs `work` in a new span of `parent`'s trace (or of a new trace). */
export const runInSpan = <T>(parent: unknown, work: () => T): T => storage.run(childSpan(parent), work);

/** The traceparent of the span the caller runs in; undefined outside any. */
export const currentTraceparent = (): string | undefined => storage.getStore();
