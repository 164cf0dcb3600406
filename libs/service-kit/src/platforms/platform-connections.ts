import { Injectable } from '@nestjs/common';
import {
  authorizerFor,
  connectorMetrics,
  deliveryMetrics,
  type DeliveryObserver,
  PlatformHttpClient,
  type Authorizer,
  type ConnectorObserver,
  type PlatformConnectionSettings,
} from '@finmesh/connectors';
import { ServiceMetrics } from '../metrics/service-metrics';

/**
 * A service's connections to the platforms' APIs: one authorizer per configured platform (so a
 * poller and a posting client share one cached token), and the connectors' metrics on the
 * service's registry (calls by outcome, auth failures to alert on, poll lag and state, and the
 * write-back sinks' deliveries).
 */
@Injectable()
export class PlatformConnections {
  readonly observer: ConnectorObserver;
  /** The write-back sinks' metrics, registered once per service however many sinks it runs. */
  readonly deliveryObserver: DeliveryObserver;
  private readonly authorizers = new Map<string, Authorizer>();

  constructor(metrics: ServiceMetrics) {
    this.observer = connectorMetrics(metrics.registry);
    this.deliveryObserver = deliveryMetrics(metrics.registry);
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
