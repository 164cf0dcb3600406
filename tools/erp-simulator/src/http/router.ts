import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http-io';
import type { Principal } from '../auth/principal';

/** Fusion Cloud REST base path (release 11.13.18.05 is the path every current Fusion pod serves). */
export const FUSION_BASE_PATH = '/fscmRestApi/resources/11.13.18.05';

export const ITEM_TYPE = 'application/vnd.oracle.adf.resourceitem+json';
export const COLLECTION_TYPE = 'application/vnd.oracle.adf.resourcecollection+json';
export const ERROR_TYPE = 'application/vnd.oracle.adf.error+json';
export const ACTION_RESULT_TYPE = 'application/vnd.oracle.adf.actionresult+json';

/** fusion: authenticated Fusion REST; oauth: the identity domain's token endpoint; admin: test hooks. */
export type RouteKind = 'fusion' | 'oauth' | 'admin';

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Path parameters in template order. */
  readonly params: readonly string[];
  /** Who called (Fusion routes); null on admin and OAuth routes. */
  readonly principal: Principal | null;
}

export type Handler = (ctx: RequestContext) => Promise<void>;

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly kind: RouteKind;
  /** Fusion resource name (first path segment after the base path), for access checks and faults. */
  readonly resource: string | null;
  readonly handler: Handler;
}

function compile(prefix: string, template: string): RegExp {
  const source = (prefix + template)
    .split(/(\{[A-Za-z]+\})/)
    .map((part) => (/^\{[A-Za-z]+\}$/.test(part) ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** A Fusion REST route, e.g. fusionRoute('GET', '/suppliers/{SupplierId}/child/sites', …). */
export function fusionRoute(method: string, template: string, handler: Handler): Route {
  const resource = template.split('/')[1] ?? null;
  return { method, pattern: compile(FUSION_BASE_PATH, template), kind: 'fusion', resource, handler };
}

export function adminRoute(method: string, template: string, handler: Handler): Route {
  return { method, pattern: compile('/__admin', template), kind: 'admin', resource: null, handler };
}

export function oauthRoute(method: string, path: string, handler: Handler): Route {
  return { method, pattern: compile('', path), kind: 'oauth', resource: null, handler };
}

export const sendItem = (res: ServerResponse, status: number, body: unknown): void => sendJson(res, status, body, ITEM_TYPE);
export const sendCollection = (res: ServerResponse, body: unknown): void => sendJson(res, 200, body, COLLECTION_TYPE);
