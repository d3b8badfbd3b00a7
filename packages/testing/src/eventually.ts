/**
 * Reads until `done` holds and returns what was read; fails after `limitMs` (a broken pipeline,
 * not a slow one). For effects that travel asynchronously — an event through the transport, a
 * NOTIFY to another process — without asserting anything about how long they take.
 */
export const eventually = async <T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  limitMs = 15_000,
): Promise<T> => {
  const started = performance.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (performance.now() - started > limitMs) throw new Error(`not reached: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
