import type { Channel, Connection, Envelope, ReturnedMessage } from 'rabbitmq-client';
import { PartialPublishError } from '../transport.js';
import { holdWrites } from './writes.js';

export interface Publication {
  readonly envelope: Envelope;
  readonly body: string;
}

const timeout = (ms: number, what: string): { promise: Promise<never>; cancel: () => void } => {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  promise.catch(() => undefined);
  return { promise, cancel: () => clearTimeout(timer) };
};

/**
 * Confirmed publishing on one channel at a time, written for the relay's guarantees rather than
 * with rabbitmq-client's Publisher: that one re-acquires a channel per message, so after a
 * channel failure the rest of a batch would go out on a new channel ahead of the failed message
 * (a reorder) — and its optional retries reorder too.
 *
 * A batch is written to one channel without waiting (pipelined) and resolves once every message
 * is confirmed; a message rejected, returned (mandatory) or not confirmed within `timeoutMs` —
 * a dead link stalls confirms until a heartbeat notices — fails the batch with the number of
 * messages confirmed before it. The channel is then dropped: the next batch opens a fresh one,
 * after declaring the shared topology again, so nothing of a failed batch is continued on it.
 */
export class ConfirmPublisher {
  private channel: Promise<Channel> | undefined;
  private returned = new Set<string>();
  private sequence = 0;

  constructor(
    private readonly connection: Connection,
    private readonly setup: (channel: Channel) => Promise<void>,
    private readonly timeoutMs: number,
  ) {}

  async publish(publications: readonly Publication[]): Promise<void> {
    if (publications.length === 0) return;
    const deadline = timeout(this.timeoutMs, `publishing ${publications.length} message(s) to RabbitMQ`);
    try {
      const channel = await Promise.race([this.open(), deadline.promise]);
      const ids = publications.map(() => `ates-${process.pid}-${(this.sequence += 1)}`);
      holdWrites(this.connection);
      const confirms = publications.map((p, i) =>
        channel.basicPublish({ ...p.envelope, messageId: p.envelope.messageId ?? ids[i] }, p.body),
      );
      for (const confirm of confirms) confirm.catch(() => undefined);
      await this.awaitInOrder(confirms, publications, ids, deadline.promise);
    } catch (error) {
      this.drop();
      throw error;
    } finally {
      deadline.cancel();
    }
  }

  async close(): Promise<void> {
    const channel = this.channel;
    this.channel = undefined;
    await channel?.then((ch) => ch.close()).catch(() => undefined);
  }

  private async awaitInOrder(
    confirms: readonly Promise<void>[],
    publications: readonly Publication[],
    ids: readonly string[],
    deadline: Promise<never>,
  ): Promise<void> {
    for (const [i, confirm] of confirms.entries()) {
      try {
        await Promise.race([confirm, deadline]);
      } catch (error) {
        throw new PartialPublishError(`RabbitMQ did not confirm message ${i + 1} of ${confirms.length}`, i, {
          cause: error,
        });
      }
    }
    // A return (an unroutable mandatory message) arrives before its confirm, but is emitted a
    // tick later (setImmediate): one more turn of the loop and every return of the batch is in.
    await new Promise((resolve) => setImmediate(resolve));
    const firstReturned = publications.findIndex(
      (p, i) => p.envelope.mandatory === true && this.returned.delete(p.envelope.messageId ?? (ids[i] as string)),
    );
    if (firstReturned >= 0) {
      throw new PartialPublishError(
        `RabbitMQ returned message ${firstReturned + 1} as unroutable (routing key ${publications[firstReturned]?.envelope.routingKey})`,
        firstReturned,
      );
    }
  }

  private open(): Promise<Channel> {
    this.channel ??= (async () => {
      const channel = await this.connection.acquire();
      try {
        channel.on('basic.return', (message: ReturnedMessage) => {
          if (message.messageId) this.returned.add(message.messageId);
        });
        await this.setup(channel);
        await channel.confirmSelect();
        channel.once('close', () => {
          if (this.channel === opened) this.channel = undefined;
        });
        return channel;
      } catch (error) {
        await channel.close().catch(() => undefined);
        throw error;
      }
    })();
    const opened = this.channel;
    opened.catch(() => {
      if (this.channel === opened) this.channel = undefined;
    });
    return opened;
  }

  private drop(): void {
    const channel = this.channel;
    this.channel = undefined;
    this.returned = new Set();
    void channel?.then((ch) => ch.close()).catch(() => undefined);
  }
}
