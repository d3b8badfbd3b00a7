/** After the nth failed try, the next one comes this much later: 1, 3, 5, 10, 30 s, then every 5 minutes. */
const delaysMs = [1_000, 3_000, 5_000, 10_000, 30_000] as const;
export const everyFiveMinutes = 300_000;

export const mailRetryDelayMs = (failures: number): number =>
  failures < 1 ? 0 : (delaysMs[failures - 1] ?? everyFiveMinutes);

/** A mail still unsent this long after its payout is stuck: an alert, not just a retry. */
export const mailStuckAfterMs = 10 * 60_000;
