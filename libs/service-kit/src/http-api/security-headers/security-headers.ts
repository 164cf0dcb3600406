import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every answer (helmet), set for JSON APIs: nothing may be loaded or framed
 * from an API response (`default-src 'none'; frame-ancestors 'none'`), no MIME sniffing, no
 * referrer, HSTS for the TLS deployments, and no X-Powered-By. A page that needs more (the
 * reporting dashboard) sets its own Content-Security-Policy on its route, which replaces this one.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
