import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { freePort } from '@ates/testing';

/** One email as MailDev's REST API (`GET /email`) lists it. */
export interface CaughtEmail {
  readonly subject: string;
  readonly text: string;
  readonly messageId: string;
  readonly to: ReadonlyArray<{ readonly address: string; readonly name: string }>;
}

export interface RunningMailDev {
  readonly smtpUrl: string;
  readonly webUrl: string;
  emails(): Promise<CaughtEmail[]>;
  stop(): Promise<void>;
}

/** A real MailDev (the one `npm start` runs) on free ports, for tests that send email. */
export const startMailDev = async (): Promise<RunningMailDev> => {
  const [smtp, web] = [await freePort(), await freePort()];
  const bin = createRequire(import.meta.url).resolve('maildev/bin/maildev');
  const child = spawn(process.execPath, [bin, '--smtp', String(smtp), '--web', String(web), '--ip', '127.0.0.1'], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const webUrl = `http://127.0.0.1:${web}`;
  const emails = async (): Promise<CaughtEmail[]> => (await (await fetch(`${webUrl}/email`)).json()) as CaughtEmail[];
  for (let tries = 0; ; tries += 1) {
    try {
      await emails();
      break;
    } catch (error) {
      if (tries > 300 || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error('MailDev did not start', { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    smtpUrl: `smtp://127.0.0.1:${smtp}`,
    webUrl,
    emails,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
};
