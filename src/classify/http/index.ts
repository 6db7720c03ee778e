import type { HttpClassify } from './http-classifier.js';
import { BUILTIN_CATALOGS } from './builtin-catalogs.js';
import { createHttpClassifier } from './http-classifier.js';

export { BUILTIN_CATALOGS, BUILTIN_CATALOG_DATA } from './builtin-catalogs.js';
export type { HttpCatalog, HttpCatalogInput } from './catalog-schema.js';
export { CATALOG_METHODS, httpCatalogSchema, parseHttpCatalog } from './catalog-schema.js';
export type { HttpClassifierOptions, HttpClassify } from './http-classifier.js';
export { createHttpClassifier, requestDigest } from './http-classifier.js';
export { catalogForHost } from './host-patterns.js';
export type { OpenApiDraft } from './openapi-draft.js';
export { draftCatalogFromOpenApi } from './openapi-draft.js';

/**
 * The http surface's classifier (corpus input shape `{ method, path, headers, body }`): the
 * shipped catalogs, chosen by the request's Host.
 */
export const HTTP_CLASSIFIER: HttpClassify = createHttpClassifier({ catalogs: BUILTIN_CATALOGS });
