import { readForm, sendJson } from '../http-io';
import type { Handler } from '../http/router';
import { basicCredentials, type Authenticator } from './authenticator';

/**
 * `POST /oauth2/v1/token` as an Oracle identity domain serves it for the client-credentials grant:
 * client authentication with HTTP Basic client_id:client_secret (or the client_id/client_secret
 * form fields), body `grant_type=client_credentials&scope=…`; answer
 * `{ access_token, token_type: 'Bearer', expires_in }`. Errors as RFC 6749 §5.2
 * (`{ error, error_description }`; 401 invalid_client with WWW-Authenticate).
 */
export function tokenEndpoint(auth: Authenticator, bodyLimit: number): Handler {
  return async ({ req, res }) => {
    const form = await readForm(req, bodyLimit);
    const basic = basicCredentials(req.headers.authorization);
    const clientId = basic?.name ?? form.get('client_id');
    const clientSecret = basic?.secret ?? form.get('client_secret');
    res.setHeader('cache-control', 'no-store');
    if (!clientId || !clientSecret) {
      res.setHeader('www-authenticate', 'Basic realm="identity domain (simulator)"');
      sendJson(res, 401, { error: 'invalid_client', error_description: 'Client authentication is required (HTTP Basic or client_id/client_secret).' });
      return;
    }
    const client = auth.client(clientId, clientSecret);
    if (!client) {
      res.setHeader('www-authenticate', 'Basic realm="identity domain (simulator)"');
      sendJson(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
      return;
    }
    const grantType = form.get('grant_type');
    if (grantType !== 'client_credentials') {
      sendJson(res, 400, { error: grantType ? 'unsupported_grant_type' : 'invalid_request', error_description: 'Only grant_type=client_credentials is supported.' });
      return;
    }
    const { accessToken, expiresIn } = auth.tokens.issue(client.clientId, form.get('scope'));
    sendJson(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn });
  };
}
