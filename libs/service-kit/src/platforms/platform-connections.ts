import { Injectable } from '@nestjs/common';
import {
  authorizerFor,
  connectorMetrics,
  PlatformHttpClient,
  type Authorizer,
  type ConnectorObserver,
  type PlatformConnectionSettings,
} from '@finmesh/connectors';
import { ServiceMetrics } from '../metrics/service-metrics';

/**
 * A service's connections to the platforms' APIs: one authorizer per configured platform (so a
 * poller and a posting client share one cached token), and the connectors' metrics on the
 * service's registry (calls by outcome, auth failures to alert on, poll lag and state).
 */
@Injectable()
export class PlatformConnections {
  readonly observer: ConnectorObserver;
  private readonly authorizers = new Map<string, Authorizer>();

  constructor(metrics: ServiceMetrics) {
    this.observer = connectorMetrics(metrics.registry);
  }

  authorizer(settings: PlatformConnectionSettings): Authorizer {
    const key = `${settings.platform} ${settings.baseUrl}`;
    let authorizer = this.authorizers.get(key);
    if (!authorizer) {
      authorizer = authorizerFor(settings.platform, settings.auth, this.observer);
      this.authorizers.set(key, authorizer);
    }
    return authorizer;
  }

  client(settings: PlatformConnectionSettings): PlatformHttpClient {
    return new PlatformHttpClient({
      platform: settings.platform,
      baseUrl: settings.baseUrl,
      timeoutMs: settings.timeoutMs,
      authorizer: this.authorizer(settings),
      observer: this.observer,
    });
  }
}
