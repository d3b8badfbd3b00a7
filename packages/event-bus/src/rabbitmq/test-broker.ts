/**
 * The machine's RabbitMQ for tests and benchmarks: a fresh virtual host per test (never anyone
 * else's), and the broker-side actions the failure tests need, through `rabbitmqctl` (the
 * management plugin is not required). `ATES_TEST_RABBITMQ_URL` points elsewhere; a broker that
 * does not answer fails the test with that reason — nothing is skipped.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { parseBrokerUrl } from './url.js';

const run = promisify(execFile);

export const testBrokerUrl = (): string => process.env.ATES_TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const rabbitmqctl = async (...args: string[]): Promise<string> => {
  try {
    return (await run('rabbitmqctl', ['-q', ...args], { timeout: 60_000 })).stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`rabbitmqctl ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`, { cause: error });
  }
};

const reachable = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, host);
    socket.setTimeout(3_000);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });

/** Fails with the reason when the machine's RabbitMQ is not running. */
export const assertBrokerUp = async (url = testBrokerUrl()): Promise<void> => {
  const [node = ''] = parseBrokerUrl(url).hosts;
  const [host = '127.0.0.1', port = '5672'] = node.split(':');
  if (!(await reachable(host, Number(port))))
    throw new Error(
      `RabbitMQ on ${node} does not answer: these tests need the machine's broker (.ci/run starts it; locally \`rabbitmq-server -detached\`, or set ATES_TEST_RABBITMQ_URL).`,
    );
};

export interface TestVhost {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A fresh, empty virtual host that guest may use; `drop` deletes it (and only it). */
export const createTestVhost = async (prefix = 't'): Promise<TestVhost> => {
  await assertBrokerUp();
  const name = `ates-test-${prefix}-${randomBytes(5).toString('hex')}`;
  const base = parseBrokerUrl(testBrokerUrl());
  await rabbitmqctl('add_vhost', name);
  await rabbitmqctl('set_permissions', '-p', name, base.username, '.*', '.*', '.*');
  return {
    name,
    url: `${/^amqps?:\/\/[^/?#]*/.exec(testBrokerUrl())?.[0] ?? ''}/${encodeURIComponent(name)}`,
    drop: () => rabbitmqctl('delete_vhost', name).then(() => undefined),
  };
};

/** Connection process ids of a virtual host, as the broker knows them. */
export const connectionsOf = async (vhost: string): Promise<string[]> =>
  (await rabbitmqctl('list_connections', 'pid', 'vhost', '--no-table-headers'))
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, host]) => pid && host === vhost)
    .map(([pid]) => pid as string);

/** The broker closes every connection of the virtual host, as an operator would. */
export const closeConnections = async (vhost: string): Promise<number> => {
  const pids = await connectionsOf(vhost);
  for (const pid of pids) await rabbitmqctl('close_connection', pid, 'closed by the test suite');
  return pids.length;
};

export const deleteQueue = (vhost: string, queue: string): Promise<string> =>
  rabbitmqctl('delete_queue', '--vhost', vhost, queue);

/**
 * Stops and starts the RabbitMQ application on the node: every connection on the machine drops.
 * Few tests do this, and only briefly; every client in the repo recovers by itself.
 */
export const restartBroker = async (whileStopped: () => Promise<void> = async () => undefined): Promise<void> => {
  await rabbitmqctl('stop_app');
  try {
    await whileStopped();
  } finally {
    await rabbitmqctl('start_app');
    await rabbitmqctl('await_startup');
  }
};
