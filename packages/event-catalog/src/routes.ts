import { pageHeaders } from '@ates/ui';
import type { ServiceApp } from '@ates/http';
import { registerUiAssets, uiCssPath } from '@ates/ui';
import type { AsyncApiDocument } from './asyncapi.js';
import { readCatalogFile, serializeCatalog } from './document-file.js';
import { catalogDocumentPath, catalogPagePath, renderCatalogPage } from './page.js';

/**
 * Serves the catalog: `GET /docs/events`, the page, and `GET /docs/events.json`, the AsyncAPI
 * document, byte for byte the checked-in file (both hidden from the OpenAPI document, like
 * `/docs` itself). Register it after the service's own routes: the page needs the UI assets, and
 * registers them only when no dashboard of the service already serves them.
 */
export const registerEventCatalog = (app: ServiceApp, document: AsyncApiDocument = readCatalogFile()): void => {
  if (!app.hasRoute({ method: 'GET', url: uiCssPath })) registerUiAssets(app);
  const json = serializeCatalog(document);
  // Rendered on first request, not at startup: most processes never serve it.
  let rendered: string | undefined;
  app.get(catalogPagePath, { schema: { hide: true } }, (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .headers(pageHeaders)
      .send((rendered ??= renderCatalogPage(document))),
  );
  app.get(catalogDocumentPath, { schema: { hide: true } }, (_request, reply) =>
    reply.type('application/json; charset=utf-8').header('x-content-type-options', 'nosniff').send(json),
  );
};
