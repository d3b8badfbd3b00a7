import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer, type Server } from 'node:net';

// Not the package root: that one imports vitest, and the startup benchmark runs without it.
export { freePort } from '@ates/testing/ports';

const bin = fileURLToPath(new URL('../../../../bin/ates.js', import.meta.url));

export interface CliRun {
  readonly child: ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves when the output matches, rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
}

/** Runs `bin/ates.js <args>` as a real process, as a user would. */
export const runCli = (args: readonly string[], env: NodeJS.ProcessEnv): CliRun => {
  const { ATES_CLI_ENTRY: _inherited, ...clean } = process.env;
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp, timeoutMs = 60_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const done = (error?: Error): void => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = (): void => {
        if (pattern.test(text)) done();
      };
      const timer = setTimeout(() => done(new Error(`timed out waiting for ${pattern}; output:\n${text}`)), timeoutMs);
      listeners.add(check);
      void exited.then((code) => {
        if (!pattern.test(text)) done(new Error(`exited with ${code} before ${pattern}; output:\n${text}`));
      });
      check();
    });
  return { child, output: () => text, exited, waitFor };
};

/** Holds a port, as another program would. */
export const occupyPort = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
