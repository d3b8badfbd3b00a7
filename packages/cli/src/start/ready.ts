/** Polls `url` until it answers 200; resolves false when `signal` aborts first. */
export const waitUntilReady = async (url: string, signal: AbortSignal): Promise<boolean> => {
  while (!signal.aborted) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
};
