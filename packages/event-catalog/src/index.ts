/**
 * The event catalog: an AsyncAPI 3.0.0 document generated from the schema registry and from the
 * services' declarations (`produces`, `consumers`), checked in as docs/asyncapi.json and served by
 * every service at `/docs/events` (a page) and `/docs/events.json` (the document).
 */
export { generateCatalog, messageId } from './generate.js';
export type { Catalog, CatalogInput } from './generate.js';
export type { CatalogConsumer, CatalogService, ProducedVersions } from './declarations.js';
export type * from './asyncapi.js';
export { catalogFile, readCatalogFile, serializeCatalog } from './document-file.js';
export { registerEventCatalog } from './routes.js';
export { catalogDocumentPath, catalogPagePath, renderCatalogPage } from './page.js';
