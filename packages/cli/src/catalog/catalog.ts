import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { catalogFile, generateCatalog, serializeCatalog, type Catalog } from '@ates/event-catalog';
import { readSchemas } from '@ates/schema-registry';
import { declaredConsumers } from '@ates/service';
import { serviceLoaders, serviceNamesInOrder } from '../services.js';
import { repoRoot } from '../start/start-config.js';

/** The event catalog of the whole system: the registry and every service's declarations. */
export const buildCatalog = async (): Promise<Catalog> => {
  const services = await Promise.all(serviceNamesInOrder.map((name) => serviceLoaders[name]()));
  const { version } = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  return generateCatalog({
    schemas: readSchemas(),
    services: services.map((s) => ({ ...s, consumers: declaredConsumers(s) })),
    version,
  });
};

/** Rewrites docs/asyncapi.json, which every service serves at /docs/events. */
export const writeCatalog = async (): Promise<Catalog> => {
  const catalog = await buildCatalog();
  await writeFile(catalogFile, serializeCatalog(catalog.document));
  return catalog;
};
