import { describe, expect, it } from 'vitest';
import { generateCatalog } from './generate.js';
import { fixtureInput } from './test-support.js';

const input = fixtureInput;
const { schemas } = input;
const { document, warnings } = generateCatalog(input);

describe('generateCatalog', () => {
  it('is a function of its input: the same input gives the same document, key order included', () => {
    expect(JSON.stringify(generateCatalog(input).document)).toBe(JSON.stringify(document));
  });

  it('has a channel per event name, addressed by it, and a message per version', () => {
    const expected = [...new Set(schemas.events.map((f) => f.name))];
    expect(Object.keys(document.channels)).toEqual(expected);
    for (const [name, channel] of Object.entries(document.channels)) {
      expect(channel.address).toBe(name);
      const versions = schemas.events.filter((f) => f.name === name).map((f) => f.version);
      expect(Object.keys(channel.messages)).toEqual(versions.map((v) => `${name}.v${v}`));
      expect(Object.values(channel.messages).map((m) => m['x-event-version'])).toEqual(versions);
      expect(channel.bindings.amqp).toMatchObject({
        is: 'routingKey',
        exchange: { name: 'ates.events', type: 'topic' },
      });
    }
  });

  it('names the producer in a send operation listing every version it declares, and marks a retired one deprecated', () => {
    expect(document.operations['tracker.send.Task.Created']).toEqual({
      action: 'send',
      channel: { $ref: '#/channels/Task.Created' },
      messages: [
        { $ref: '#/channels/Task.Created/messages/Task.Created.v1' },
        { $ref: '#/channels/Task.Created/messages/Task.Created.v2' },
      ],
      title: 'tracker publishes Task.Created',
      summary: 'Publishes v2 now; v1 retired (published by earlier releases).',
      tags: [{ name: 'tracker' }],
      'x-service': 'tracker',
    });
    const messages = document.channels['Task.Created']?.messages ?? {};
    expect(messages['Task.Created.v1']?.deprecated).toBe(true);
    expect(messages['Task.Created.v1']?.description).toContain('Retired: tracker published v1 in earlier releases');
    expect(messages['Task.Created.v2']).not.toHaveProperty('deprecated');
  });

  it('gives each consumer group a receive operation per event, with exactly the versions it accepts', () => {
    const receives = Object.entries(document.operations).filter(([, op]) => op.action === 'receive');
    expect(
      receives.map(([id, op]) => [id, op['x-consumer-group'], op.messages.map((m) => m.$ref.split('/').pop())]),
    ).toEqual([
      ['tracker.accounts.receive.Account.Created', 'tracker.accounts', ['Account.Created.v1']],
      ['accounting.tasks.receive.Task.Assigned', 'accounting.tasks', ['Task.Assigned.v1']],
      ['accounting.tasks.receive.Task.Created', 'accounting.tasks', ['Task.Created.v1', 'Task.Created.v2']],
    ]);
  });

  it('marks every version nobody produces, or nobody receives, and lists the same warnings', () => {
    const messages = document.channels['Account.Updated']?.messages ?? {};
    expect(messages['Account.Updated.v1']?.['x-ates-warnings']).toEqual([
      'Account.Updated v1: no service declares that it produces it',
    ]);
    expect(document.channels['Task.Created']?.messages['Task.Created.v2']).not.toHaveProperty('x-ates-warnings');
    expect(warnings).toContain('Account.Created v1: no service declares that it produces it');
    expect(warnings.filter((w) => /^Task\.(Created|Assigned) /.test(w))).toEqual([]);
  });

  it('describes both transports and tags every operation with its service', () => {
    expect(Object.values(document.servers).map((s) => s.protocol)).toEqual(['postgresql', 'amqp']);
    expect(document.info.tags).toEqual([
      { name: 'tracker', description: 'The task tracker.' },
      { name: 'accounting', description: 'Accounting.' },
    ]);
    for (const op of Object.values(document.operations)) expect(op.tags).toEqual([{ name: op['x-service'] }]);
  });
});
