import { isRole, mintDevToken, ROLES, type Role } from '@finmesh/service-kit';
import { localJwtSecret } from './dev-secret';

/** `npm run token -- <client-id> <role>[,<role>…] [expires]`: a bearer token for the local stack. */
async function main(): Promise<number> {
  const [clientId, roleList, expiresIn] = process.argv.slice(2);
  const roles = (roleList ?? '').split(',').filter((r) => r.length > 0);
  const unknown = roles.filter((r) => !isRole(r));
  if (!clientId || roles.length === 0 || unknown.length > 0) {
    console.error(`usage: npm run token -- <client-id> <role>[,<role>...] [expires, e.g. 8h]\nroles: ${ROLES.join(', ')}${unknown.length ? `\nunknown: ${unknown.join(', ')}` : ''}`);
    return 2;
  }
  console.log(await mintDevToken({ clientId, roles: roles as Role[], secret: localJwtSecret(), expiresIn: expiresIn ?? '8h' }));
  return 0;
}

main().then((code) => (process.exitCode = code));
