import { createHash } from 'node:crypto';

/**
 * The one way finmesh names a PostgreSQL advisory lock.
 *
 * Every service shares the `finmesh` database, and advisory locks are database-wide: two call
 * sites that happen to build the same key exclude each other, whatever they meant. So a key is
 * always derived from a namespace and a name:
 *
 *   key = first 8 bytes, big-endian signed, of SHA-256("finmesh:" + namespace + ":" + name)
 *
 * - namespace: whose lock it is. A service's own code passes its service name ('supplier-sync');
 *   a library that serves whichever service owns a schema (outbox relay, migrations, audit chain,
 *   read-model switch, DLT replay) passes that schema, its only handle on the service.
 * - name: what is locked within the namespace ('migrations', 'supplier:SUP-1', ...).
 *
 * 64 bits make an accidental collision between two names negligible (PostgreSQL's `hashtext`,
 * used before, gives 32). The key is returned as a decimal string: bind it as `$1::bigint`
 * (pg sends it as text, PostgreSQL parses it exactly; a JS number would lose precision).
 *
 * Every process that must be excluded by a lock (two relay instances, a rebuild and the live
 * projection, the ops CLI and a service) must compute its key here, with the same arguments.
 */
export function advisoryLockKey(namespace: string, name: string): string {
  if (namespace.length === 0 || namespace.includes(':')) {
    // ':' separates namespace from name; allowing it would let ('a:b', 'c') and ('a', 'b:c') collide.
    throw new Error(`advisory-lock namespace '${namespace}' must be non-empty and contain no ':'`);
  }
  if (name.length === 0) throw new Error('advisory-lock name must be non-empty');
  return createHash('sha256').update(`finmesh:${namespace}:${name}`).digest().readBigInt64BE(0).toString();
}
