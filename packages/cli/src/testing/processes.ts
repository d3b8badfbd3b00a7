import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface ProcessInfo {
  readonly pid: number;
  /** The command line, arguments joined by spaces. */
  readonly args: string;
  /** Its environment, from /proc (readable for our own children). */
  readonly env: Readonly<Record<string, string>>;
}

/** The pids of `pid`'s direct children. */
export const childPids = (pid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map(Number)
      .filter(Boolean);
  } catch {
    return [];
  }
};

const nulSeparated = async (file: string): Promise<string[]> =>
  (await readFile(file, 'utf8').catch(() => '')).split('\0').filter(Boolean);

/** The direct children of `pid`, with their command lines and environments (Linux). */
export const childProcesses = async (pid: number): Promise<ProcessInfo[]> =>
  Promise.all(
    childPids(pid).map(async (child) => ({
      pid: child,
      args: (await nulSeparated(`/proc/${child}/cmdline`)).join(' '),
      env: Object.fromEntries(
        (await nulSeparated(`/proc/${child}/environ`)).map((entry) => {
          const at = entry.indexOf('=');
          return [entry.slice(0, at), entry.slice(at + 1)];
        }),
      ),
    })),
  );
