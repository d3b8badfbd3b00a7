import { readSchemas } from '@ates/schema-registry';
import type { CatalogService } from './declarations.js';
import type { CatalogInput } from './generate.js';

/**
 * Two services as the tests' system: the tracker producing Task.Created (v1 retired) and
 * Task.Assigned, and receiving Account.Created; accounting receiving both task events. The
 * registry is the real one, so every other event is nobody's.
 */
export const fixtureServices: CatalogService[] = [
  {
    name: 'tracker',
    description: 'The task tracker.',
    produces: { 'Task.Created': { versions: [2], retired: [1] }, 'Task.Assigned': { versions: [1] } },
    consumers: [{ name: 'tracker.accounts', handlers: { 'Account.Created': { versions: [1] } } }],
  },
  {
    name: 'accounting',
    description: 'Accounting.',
    consumers: [
      {
        name: 'accounting.tasks',
        handlers: { 'Task.Created': { versions: [1, 2] }, 'Task.Assigned': { versions: [1] } },
      },
    ],
  },
];

export const fixtureInput: CatalogInput = {
  schemas: readSchemas(),
  services: fixtureServices,
  version: '9.9.9',
};
