import type { BasicAuthSettings } from '../credentials/platform-auth-settings';
import type { Authorizer } from './authorizer';

/** HTTP Basic (RFC 7617): nothing to cache or refresh; the platform checks it on every call. */
export class BasicAuthorizer implements Authorizer {
  readonly principal: string;
  readonly #header: string;

  constructor(settings: BasicAuthSettings) {
    this.principal = settings.username;
    this.#header = `Basic ${Buffer.from(`${settings.username}:${settings.password.reveal()}`, 'utf8').toString('base64')}`;
  }

  async authorization(): Promise<string> {
    return this.#header;
  }

  invalidate(): void {
    // A refused Basic credential stays refused until someone changes it: nothing to drop.
  }
}
