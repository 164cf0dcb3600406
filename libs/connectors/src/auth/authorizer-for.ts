import type { PlatformAuthSettings } from '../credentials/platform-auth-settings';
import type { ConnectorObserver } from '../observability/connector-observer';
import type { Authorizer } from './authorizer';
import { BasicAuthorizer } from './basic-authorizer';
import { ClientCredentialsAuthorizer } from './client-credentials-authorizer';

/** The authorizer for a platform's configured credentials. */
export function authorizerFor(platform: string, settings: PlatformAuthSettings, observer?: ConnectorObserver): Authorizer {
  if (settings.kind === 'basic') return new BasicAuthorizer(settings);
  return new ClientCredentialsAuthorizer(settings, {
    platform,
    onTokenFetched: (lifetime) => observer?.tokenFetched?.(platform, lifetime),
  });
}
