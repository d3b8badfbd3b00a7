import { Connection } from 'rabbitmq-client';
import { createTestVhost } from '../src/rabbitmq/test-broker.js';

const body = JSON.stringify({ note: 'x'.repeat(400) });

/**
 * The broker alone, for RabbitMQ's ratio in `bench:bus`: rabbitmq-client publishing persistent
 * messages to one quorum queue on a confirm channel, no outbox, no consumer, for `seconds` each —
 * one at a time (each confirm awaited, like the PostgreSQL baseline's one INSERT after another)
 * and pipelined in windows of 500 (the relay's batch size).
 */
export const rabbitBaseline = async (seconds: number): Promise<{ oneAtATime: number; pipelined: number }> => {
  const vhost = await createTestVhost('bench-raw');
  const connection = new Connection({ url: vhost.url, noDelay: true });
  connection.on('error', () => undefined);
  try {
    const channel = await connection.acquire();
    await channel.queueDeclare({ queue: 'raw', durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.confirmSelect();
    const envelope = { exchange: '', routingKey: 'raw', durable: true };
    const measure = async (window: number): Promise<number> => {
      const started = performance.now();
      let n = 0;
      while (performance.now() - started < seconds * 1000) {
        await Promise.all(Array.from({ length: window }, () => channel.basicPublish(envelope, body)));
        n += window;
      }
      const rate = n / ((performance.now() - started) / 1000);
      await channel.queuePurge({ queue: 'raw' });
      return rate;
    };
    const oneAtATime = await measure(1);
    const pipelined = await measure(500);
    await channel.close();
    return { oneAtATime, pipelined };
  } finally {
    await connection.close();
    await vhost.drop();
  }
};
