import { readFileSync } from 'node:fs';

export interface CpuTimes {
  readonly total: number;
  readonly steal: number;
}

/** Machine-wide CPU time (in clock ticks) and the part of it the hypervisor gave to others. */
export const cpuTimes = (): CpuTimes => {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …
    return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return { total: 0, steal: 0 }; // not Linux: steal is not reported
  }
};

/**
 * Share of the CPU time since `since` that the hypervisor took away ("steal"): on a shared
 * virtual machine this, not our code, explains a run that is much slower than its neighbours.
 */
export const stealShare = (since: CpuTimes): number => {
  const now = cpuTimes();
  const total = now.total - since.total;
  return total > 0 ? (now.steal - since.steal) / total : 0;
};
