import { isRole, mintDevToken, ROLES, type Role } from '@finmesh/service-kit';
import { localJwtSecret } from './dev-secret';

const USAGE = 'usage: npm run token -- <client-id> <role>[,<role>...] [expires, e.g. 8h] [legal entities, e.g. DE01,NL01; default every entity]';

/** `npm run token -- <client-id> <role>[,<role>…] [expires] [legal entities]`: a bearer token for the local stack. */
async function main(): Promise<number> {
  const [clientId, roleList, expiresIn, legalEntityList] = process.argv.slice(2);
  const roles = (roleList ?? '').split(',').filter((r) => r.length > 0);
  const unknown = roles.filter((r) => !isRole(r));
  const legalEntities = legalEntityList === undefined ? undefined : legalEntityList.split(',').map((c) => c.trim()).filter((c) => c.length > 0);
  if (!clientId || roles.length === 0 || unknown.length > 0 || legalEntities?.length === 0) {
    console.error(`${USAGE}\nroles: ${ROLES.join(', ')}${unknown.length ? `\nunknown: ${unknown.join(', ')}` : ''}`);
    return 2;
  }
  console.log(await mintDevToken({ clientId, roles: roles as Role[], secret: localJwtSecret(), expiresIn: expiresIn ?? '8h', ...(legalEntities ? { legalEntities } : {}) }));
  return 0;
}

main().then((code) => (process.exitCode = code));
