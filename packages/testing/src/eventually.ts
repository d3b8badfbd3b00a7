/**
 * Waits, bounded, until `probe` returns something other than undefined/false, and returns it.
 * Not a timing assertion: the bound only turns a hang into a failure that says what never
 * happened (and the probe's last error, if it threw). The one polling helper of the tests.
 */
export const eventually = async <T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  options: { readonly timeoutMs?: number; readonly intervalMs?: number } = {},
): Promise<T> => {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Gave up waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
};
