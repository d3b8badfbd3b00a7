import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { integer, oneOf, port, text, transportUrl, type ConfigOf } from '@ates/config';

/** The checkout's root: `.ates/` lives here unless ATES_HOME says otherwise. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

const transportDescription =
  'Where the services of `npm start` exchange events: empty for the embedded transport (`ates_bus` on the embedded PostgreSQL), or RabbitMQ, e.g. `amqp://guest:guest@127.0.0.1:5672` (several comma-separated hosts for a cluster).';
const optionalTransport = {
  ...transportUrl(transportDescription),
  default: '',
  parse: (raw: string): string => (raw === '' ? '' : transportUrl(transportDescription).parse(raw)),
};

/** Variables of `ates start` (the whole system on one machine, embedded PostgreSQL). */
export const startEnv = {
  ATES_HOME: text(
    'Where `npm start` keeps its data (embedded PostgreSQL cluster, pid file).',
    path.join(repoRoot, '.ates'),
  ),
  ATES_PG_PORT: port('Port of the embedded PostgreSQL (never 5432, so it cannot clash with a system server).', 54329),
  AUTH_PORT: port('Port of the auth service under `npm start`.', 4000),
  TRACKER_PORT: port('Port of the tracker service under `npm start`.', 4001),
  ACCOUNTING_PORT: port('Port of the accounting service under `npm start`.', 4002),
  ANALYTICS_PORT: port('Port of the analytics service under `npm start`.', 4003),
  EVENT_TRANSPORT_URL: optionalTransport,
  ATES_INSTANCES: integer(
    'Processes of each service under `npm start` (also `npm start -- --instances N`). Instance i (from 0) listens on its port + 100·i; one relay per service is active, the consumers compete.',
    1,
    1,
    9,
  ),
  MAILDEV_SMTP_PORT: port('SMTP port of the MailDev that catches the payout emails under `npm start`.', 1025),
  MAILDEV_WEB_PORT: port('Web inbox (and REST API, `/email`) of that MailDev.', 1080),
  LOG_LEVEL: oneOf(
    'Log level of every service.',
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
    'info',
  ),
};

export type StartConfig = ConfigOf<typeof startEnv>;
