import { createRequire } from 'node:module';
import path from 'node:path';
import type { StartConfig } from './start-config.js';
import type { ChildSpec } from './supervisor.js';

/**
 * MailDev (npm `maildev`, pure JavaScript) catches the payout emails of `npm start`: an SMTP
 * server the accounting service sends to, and a web inbox to read them in (and a REST API,
 * `GET /email`). Supervised like the services; its mails are kept under $ATES_HOME/maildev.
 */
export const mailDev = (config: StartConfig): ChildSpec & { readonly readyUrl: string; readonly smtpUrl: string } => ({
  name: 'maildev',
  command: process.execPath,
  args: [
    createRequire(import.meta.url).resolve('maildev/bin/maildev'),
    '--smtp',
    String(config.MAILDEV_SMTP_PORT),
    '--web',
    String(config.MAILDEV_WEB_PORT),
    '--ip',
    '127.0.0.1',
    '--mail-directory',
    path.join(config.ATES_HOME, 'maildev'),
  ],
  env: { PATH: process.env.PATH ?? '' },
  readyUrl: `http://127.0.0.1:${config.MAILDEV_WEB_PORT}/email`,
  smtpUrl: `smtp://127.0.0.1:${config.MAILDEV_SMTP_PORT}`,
});
