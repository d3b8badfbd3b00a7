import type { AnyEvent } from '@ates/schema-registry';

/** How a transport might deliver a stream: generated numbers that duplicate, reorder and cut it. */
export interface Delivery {
  readonly duplicates: readonly number[];
  readonly order: readonly number[];
  readonly cuts: readonly number[];
}

/** `events` duplicated, shuffled and cut into batches as `delivery` says (deterministic). */
export const delivered = (events: readonly AnyEvent[], delivery: Delivery): AnyEvent[][] => {
  if (events.length === 0) return [];
  const stream = [...events, ...delivery.duplicates.map((d) => events[d % events.length] as AnyEvent)];
  delivery.order.forEach((o, i) => {
    const [a, b] = [i % stream.length, o % stream.length];
    [stream[a], stream[b]] = [stream[b] as AnyEvent, stream[a] as AnyEvent];
  });
  const batches: AnyEvent[][] = [];
  for (let i = 0, c = 0; i < stream.length; c += 1) {
    const size = Math.max(1, delivery.cuts[c % Math.max(1, delivery.cuts.length)] ?? stream.length);
    batches.push(stream.slice(i, i + size));
    i += size;
  }
  return batches;
};
