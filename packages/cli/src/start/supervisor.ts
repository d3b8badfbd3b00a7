import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { exitCodes } from '../exit.js';

export interface ChildSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /**
   * The child says when it is listening (`ates serve` sends `listeningMessage` over an IPC
   * channel): until then, nobody needs to ask it whether it is ready.
   */
  readonly announcesListening?: boolean;
}

/** What `ates serve` sends its supervisor once the service listens. */
export const listeningMessage = { ates: 'listening' } as const;

const isListeningMessage = (message: unknown): boolean =>
  typeof message === 'object' && message !== null && (message as { ates?: unknown }).ates === listeningMessage.ates;

export interface SupervisorEvents {
  /** A child could not start because of its configuration (exit 78): restarting will not help. */
  readonly onFatal: (name: string, code: number) => void;
}

const backoffMs = (failures: number): number => Math.min(500 * 2 ** failures, 30_000);
const healthyAfterMs = 60_000;

/** Supervises one child process: prefixes its output and restarts it with backoff after a crash. */
export class Supervised {
  private child: ChildProcess | undefined;
  private stopping = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private exited: Promise<void> = Promise.resolve();
  private listening = false;
  private readonly onListening = new Set<() => void>();

  constructor(
    private readonly spec: ChildSpec,
    private readonly width: number,
    private readonly events: SupervisorEvents,
    /** Where the children's lines go, prefixed with their name (the terminal, or a log file). */
    private readonly out: { write(text: string): unknown } = process.stdout,
  ) {}

  /** The running child's pid, if one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the child (again, after `stop`). */
  start(): void {
    this.stopping = false;
    const startedAt = Date.now();
    const child = spawn(this.spec.command, [...this.spec.args], {
      env: this.spec.env,
      stdio: this.spec.announcesListening ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.listening = false;
    child.on('message', (message) => {
      if (!isListeningMessage(message)) return;
      this.listening = true;
      for (const resolve of this.onListening) resolve();
      this.onListening.clear();
    });
    const prefix = `${this.spec.name.padEnd(this.width)} | `;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.out.write(`${prefix}${line}\n`));
    }
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        resolve();
        this.child = undefined;
        if (this.stopping) return;
        if (code === exitCodes.config) return this.events.onFatal(this.spec.name, code);
        this.failures = Date.now() - startedAt > healthyAfterMs ? 0 : this.failures + 1;
        const delay = backoffMs(this.failures - 1);
        this.out.write(`${prefix}exited (${signal ?? `code ${code}`}); restarting in ${delay} ms\n`);
        this.restartTimer = setTimeout(() => this.start(), delay);
      });
    });
  }

  /**
   * Resolves once the running child has said it listens (at once for a child that does not
   * announce it, and when `signal` aborts). A restarted child has to say it again.
   */
  whenListening(signal: AbortSignal): Promise<void> {
    if (!this.spec.announcesListening || this.listening || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.onListening.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.onListening.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** SIGTERM, then SIGKILL if the child has not exited by `deadlineMs`. */
  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    await this.exited;
    clearTimeout(timer);
  }
}
