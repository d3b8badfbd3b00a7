import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { catalogFile, serializeCatalog, type AsyncApiOperation } from '@ates/event-catalog';
import { readSchemas } from '@ates/schema-registry';
import { declaredConsumers, type ServiceDefinition } from '@ates/service';
import { serviceLoaders, serviceNamesInOrder } from '../services.js';
import { buildCatalog } from './catalog.js';

const { document } = await buildCatalog();
const services: ServiceDefinition[] = await Promise.all(serviceNamesInOrder.map((name) => serviceLoaders[name]()));
const operations = Object.values(document.operations);
const eventOf = (op: AsyncApiOperation): string => op.channel.$ref.replace('#/channels/', '');
const versionsOf = (op: AsyncApiOperation | undefined): number[] =>
  (op?.messages ?? []).map((m) => Number(/\.v(\d+)$/.exec(m.$ref)?.[1]));

describe('the event catalog (docs/asyncapi.json)', () => {
  it('is what the registry and the services declare (run `npm run docs:events` after changing either)', async () => {
    expect(await readFile(catalogFile, 'utf8')).toBe(serializeCatalog(document));
  });

  it("shows every event version of the registry, and none of the tests' own (@ates/event-bus/testing)", () => {
    const shown = Object.values(document.channels).flatMap((c) => Object.values(c.messages).map((m) => m.title));
    expect(shown).toEqual(readSchemas().events.map((f) => `${f.name} v${f.version}`));
    expect(Object.keys(document.channels)).not.toContain('Test.Pinged');
  });

  it("names each service's produced events in a send operation with every version it declares", () => {
    const declared = services.flatMap((s) =>
      Object.entries(s.produces ?? {}).map(
        ([name, p]) => `${s.name} ${name} ${[...(p?.retired ?? []), ...(p?.versions ?? [])].sort().join(',')}`,
      ),
    );
    const sends = operations
      .filter((op) => op.action === 'send')
      .map((op) => `${op['x-service']} ${eventOf(op)} ${versionsOf(op).join(',')}`);
    expect(sends.sort()).toEqual(declared.sort());
    expect(declared).toEqual(expect.arrayContaining(['auth Account.RoleChanged 1', 'tracker Task.Created 1,2']));
  });

  it('gives every consumer group of every service a receive operation per event, with exactly the versions its handlers accept', () => {
    for (const service of services) {
      for (const group of declaredConsumers(service)) {
        const declared = Object.entries(group.handlers).map(([name, h]) => [name, [...(h?.versions ?? [])].sort()]);
        const received = operations
          .filter((op) => op['x-consumer-group'] === group.name)
          .map((op) => [eventOf(op), versionsOf(op)]);
        expect(received.sort()).toEqual(declared.sort());
        expect(
          operations
            .filter((op) => op['x-consumer-group'] === group.name)
            .every((op) => op['x-service'] === service.name),
        ).toBe(true);
      }
    }
  });

  it('shows Task.Created v1 as retired (deprecated) and still received, v2 as current', () => {
    const messages = document.channels['Task.Created']?.messages ?? {};
    expect(messages['Task.Created.v1']?.deprecated).toBe(true);
    expect(messages['Task.Created.v2']?.deprecated).toBeUndefined();
    const receivers = operations.filter(
      (op) => op.action === 'receive' && eventOf(op) === 'Task.Created' && versionsOf(op).includes(1),
    );
    expect(receivers.map((op) => op['x-consumer-group'])).toContain('accounting.tasks');
  });
});
