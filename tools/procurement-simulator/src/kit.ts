/**
 * The building blocks of a Coupa-shaped simulator, for tools/ap-simulator (finmesh's AP platform
 * speaks Coupa's Invoices API): OAuth client credentials, the request pipeline (faults, rate
 * limit, call log), Coupa's JSON errors, query syntax and records, and the suppliers resource.
 */
export { CallLog, DEFAULT_CALL_LOG_LIMIT, type RecordedCall } from './call-log';
export { controlRoutes, jsonHandler, noContentHandler, type ControlledState } from './control-routes';
export { Clock, formatCoupaTime, type TimestampPrecision } from './clock';
export { coupaRequestListener, oauthTokenRoute, type CoupaPipelineDeps } from './coupa-http';
export { AdminProblems, coupaError, CoupaHttpError } from './coupa-errors';
export { FaultInjector, type Fault, type FaultKind } from './fault-injector';
export { DEFAULT_BODY_LIMIT_BYTES, headerValue, isJsonObject, readJson, readJsonObject, readText, sendJson, type JsonObject } from './http-io';
export { DEFAULT_TOKEN_TTL_SECONDS, TokenService, type OAuthClient } from './oauth';
export { parseCollectionQuery, project, runCollectionQuery } from './query-filter';
export { COUPA_RATE_LIMIT, RateLimiter, type RateLimit } from './rate-limiter';
export { ResourceStore } from './resource-store';
export { routeName, templatePattern, type Handler, type Route } from './simulator-state';
export { SUPPLIER_SCOPES, supplierAdminRoutes, supplierApiRoutes } from './supplier-routes';
export { SUPPLIER_STATUSES } from './suppliers';
