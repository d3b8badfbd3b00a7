import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { OutgoingMessage, Transport } from './transport.js';

/**
 * A transport that records what it is given and can be told to refuse: for testing the relay
 * and the operations on their own. The real transports are tested by the compliance suite.
 */
export class RecordingTransport implements Transport {
  readonly name = 'recording';
  readonly published: OutgoingMessage[] = [];
  readonly sent: Array<OutgoingMessage & { group: string }> = [];
  publishCalls = 0;
  failing = false;

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    this.publishCalls += 1;
    if (this.failing) throw new Error('broker unreachable');
    this.published.push(...messages);
  }

  async sendToGroup(group: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.failing) throw new Error('broker unreachable');
    this.sent.push(...messages.map((m) => ({ ...m, group })));
  }

  readonly declared = new Map<string, Set<string>>();

  async declare(group: string, eventNames: readonly string[]): Promise<void> {
    const names = this.declared.get(group) ?? new Set();
    for (const name of eventNames) names.add(name);
    this.declared.set(group, names);
  }

  async unbind(group: string, eventNames: readonly string[]): Promise<void> {
    for (const name of eventNames) this.declared.get(group)?.delete(name);
  }

  subscribe(): never {
    throw new Error('RecordingTransport does not deliver');
  }

  async check(): Promise<void> {
    if (this.failing) throw new Error('broker unreachable');
  }

  async lag(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {}
}

/** A logger whose records are kept, to check what was logged (alerts). */
export const capturingLogger = (): { logger: Logger; records: Array<Record<string, unknown>> } => {
  const records: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        records.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), records };
};
