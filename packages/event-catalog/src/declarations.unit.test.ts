import { describe, expect, it } from 'vitest';
import { collectDeclarations, gapsOf, type CatalogService, type KnownVersions } from './declarations.js';

const known: KnownVersions = new Map([
  ['Task.Created', [1, 2]],
  ['Task.Assigned', [1]],
  ['Payout.Made', [1]],
]);

const tracker: CatalogService = {
  name: 'tracker',
  description: 'tasks',
  produces: { 'Task.Created': { versions: [2], retired: [1] }, 'Task.Assigned': { versions: [1] } },
};
const accounting: CatalogService = {
  name: 'accounting',
  description: 'money',
  consumers: [{ name: 'accounting.tasks', handlers: { 'Task.Created': { versions: [2, 1] } } }],
};

describe('collectDeclarations', () => {
  it('names the producer of each event and every group receiving it, versions ascending', () => {
    const { producers, receivers } = collectDeclarations(known, [tracker, accounting]);
    expect(producers.get('Task.Created')).toEqual({ service: 'tracker', versions: [2], retired: [1] });
    expect(receivers.get('Task.Created')).toEqual([
      { service: 'accounting', group: 'accounting.tasks', versions: [1, 2] },
    ]);
    expect(receivers.get('Task.Assigned')).toBeUndefined();
  });

  it.each<[string, CatalogService[], string]>([
    [
      'a version without a schema',
      [{ name: 'tracker', description: '', produces: { 'Task.Created': { versions: [3] } } }],
      'service tracker names Task.Created v3, which has no schema',
    ],
    [
      'an event without a schema',
      [
        {
          name: 'tracker',
          description: '',
          consumers: [{ name: 'tracker.pings', handlers: { 'Test.Pinged': { versions: [1] } } }],
        },
      ],
      'consumer group tracker.pings names Test.Pinged, which has no schema in the registry',
    ],
    [
      'two producers of one event',
      [tracker, { name: 'accounting', description: '', produces: { 'Task.Assigned': { versions: [1] } } }],
      'Task.Assigned is produced by both tracker and accounting; one service owns an event',
    ],
    [
      'a version both produced and retired',
      [{ name: 'tracker', description: '', produces: { 'Task.Created': { versions: [1, 2], retired: [1] } } }],
      'service tracker declares Task.Created v1 both produced and retired',
    ],
    [
      'an event produced in no version',
      [{ name: 'tracker', description: '', produces: { 'Task.Created': { versions: [] } } }],
      'service tracker produces Task.Created in no version',
    ],
    [
      'a consumer group declared twice',
      [accounting, { ...accounting, name: 'analytics' }],
      'consumer group accounting.tasks is declared twice',
    ],
  ])('refuses %s', (_case, services, message) => {
    expect(() => collectDeclarations(known, services)).toThrow(message);
  });
});

describe('gapsOf', () => {
  const declarations = collectDeclarations(known, [tracker, accounting]);

  it('finds nothing missing for a produced and received version, nor for a retired one still received', () => {
    expect(gapsOf(declarations, 'Task.Created', 2)).toEqual([]);
    expect(gapsOf(declarations, 'Task.Created', 1)).toEqual([]);
  });

  it('says when a produced version has no consumer group', () => {
    expect(gapsOf(declarations, 'Task.Assigned', 1)).toEqual(['Task.Assigned v1: no consumer group accepts it']);
  });

  it('says when no service produces a version (and nobody receives it, which is then no news)', () => {
    expect(gapsOf(declarations, 'Payout.Made', 1)).toEqual(['Payout.Made v1: no service declares that it produces it']);
  });

  it('finds nothing missing for a retired version nobody receives any more: it is at its end', () => {
    const done = collectDeclarations(known, [tracker]);
    expect(gapsOf(done, 'Task.Created', 1)).toEqual([]);
  });
});
