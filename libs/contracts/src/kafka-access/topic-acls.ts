import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type Admin, type AclEntry } from 'kafkajs';
import { ALL_TOPICS, CANONICAL_CONSUMERS, INGRESS_TOPICS, SYSTEM_OF_RECORD } from '../topics/topic-catalog';
import { KAFKA_OPS_PRINCIPAL, KAFKA_SERVICES, KAFKA_SUBSCRIBER_PRINCIPAL, platformPrincipal, servicePrincipal } from './kafka-principals';

/**
 * The Kafka ACLs of one catalog namespace, derived from the topic catalog so that the table that
 * says who owns and who consumes a topic is also the table that says who may touch it:
 *
 * - a canonical topic is written by its owning service alone (SYSTEM_OF_RECORD.writer);
 * - a platform principal writes only its own ingress topics;
 * - a service reads the topics it consumes (CANONICAL_CONSUMERS, the ingress topic's consumer)
 *   and writes only the dead-letter topics of those (and may create them: its consumer runtime
 *   creates a missing dead-letter topic at start);
 * - the downstream subscriber reads canonical topics and writes nothing;
 * - the ops principal reads every topic and dead-letter topic, re-publishes dead-lettered records
 *   to their source (replay: WRITE on the source), purges dead-letter topics (DELETE: Kafka's
 *   DeleteRecords), inspects topic settings (DESCRIBE_CONFIGS: `finmesh topics`) and resets or
 *   deletes any consumer group.
 *
 * Consumer groups are named after their service (`po-sync`, `po-sync.write-back.…`), so a
 * service's principal gets READ on the groups with its name as prefix. Resetting a group's offsets
 * needs the group's READ; a service can therefore move its own group, and nobody else's, which
 * is how Kafka scopes offset commits. Everything else is denied (allow.everyone.if.no.acl.found is
 * false on the broker).
 */
export type AclOperation = 'READ' | 'WRITE' | 'CREATE' | 'DELETE' | 'DESCRIBE_CONFIGS';
export type AclResource = 'TOPIC' | 'GROUP';

export interface AclBinding {
  readonly principal: string;
  readonly resource: AclResource;
  readonly pattern: 'LITERAL' | 'PREFIXED';
  readonly name: string;
  readonly operation: AclOperation;
}

/** Dead-letter topic of a source topic (the consumer runtime's default; see defaultDeadLetterTopic in messaging). */
const dlt = (topic: string): string => `${topic}.dlt`;

/** The consumer-group prefix the rebuild of a projection uses (libs/projection). */
export const REBUILD_GROUP_PREFIX = 'finmesh-rebuild-';

export function catalogAcls(prefix = ''): AclBinding[] {
  const out: AclBinding[] = [];
  const topic = (principal: string, name: string, ...operations: AclOperation[]) => {
    for (const operation of operations) out.push({ principal, resource: 'TOPIC', pattern: 'LITERAL', name, operation });
  };
  const ops = KAFKA_OPS_PRINCIPAL;
  for (const spec of ALL_TOPICS) {
    const name = `${prefix}${spec.name}`;
    topic(servicePrincipal(SYSTEM_OF_RECORD[spec.aggregate].writer), name, 'WRITE');
    for (const consumer of CANONICAL_CONSUMERS[spec.aggregate]) {
      topic(servicePrincipal(consumer), name, 'READ');
      topic(servicePrincipal(consumer), dlt(name), 'WRITE', 'CREATE');
    }
    topic(KAFKA_SUBSCRIBER_PRINCIPAL, name, 'READ');
    topic(ops, name, 'READ', 'WRITE', 'DESCRIBE_CONFIGS');
    topic(ops, dlt(name), 'READ', 'DELETE', 'DESCRIBE_CONFIGS');
  }
  for (const spec of INGRESS_TOPICS) {
    const name = `${prefix}${spec.name}`;
    topic(platformPrincipal(spec.platform), name, 'WRITE');
    topic(servicePrincipal(spec.consumer), name, 'READ');
    topic(servicePrincipal(spec.consumer), dlt(name), 'WRITE', 'CREATE');
    topic(ops, name, 'READ', 'WRITE', 'DESCRIBE_CONFIGS');
    topic(ops, dlt(name), 'READ', 'DELETE', 'DESCRIBE_CONFIGS');
  }
  return out;
}

/** Group ACLs: not per namespace (group names carry the service name, not the topic prefix). */
export function groupAcls(): AclBinding[] {
  const group = (principal: string, pattern: AclBinding['pattern'], name: string, ...operations: AclOperation[]): AclBinding[] =>
    operations.map((operation) => ({ principal, resource: 'GROUP', pattern, name, operation }));
  return [
    ...KAFKA_SERVICES.flatMap((service) => group(servicePrincipal(service), 'PREFIXED', service, 'READ')),
    ...group(servicePrincipal('reporting-projector'), 'PREFIXED', REBUILD_GROUP_PREFIX, 'READ', 'DELETE'),
    ...group(KAFKA_SUBSCRIBER_PRINCIPAL, 'PREFIXED', 'finmesh-subscriber', 'READ'),
    ...group(KAFKA_OPS_PRINCIPAL, 'LITERAL', '*', 'READ', 'DELETE'),
  ];
}

function toKafkaJs(b: AclBinding): AclEntry {
  return {
    principal: `User:${b.principal}`,
    host: '*',
    resourceType: b.resource === 'TOPIC' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
    resourceName: b.name,
    resourcePatternType: b.pattern === 'LITERAL' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
    operation: AclOperationTypes[b.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/** Creates the ACLs of a namespace (idempotent: Kafka ignores a binding it already has). Needs a super user. */
export async function applyCatalogAcls(admin: Admin, prefix = ''): Promise<number> {
  const bindings = [...catalogAcls(prefix), ...groupAcls()];
  await admin.createAcls({ acl: bindings.map(toKafkaJs) });
  return bindings.length;
}

/** Removes the topic ACLs of a namespace (test teardown, a retired environment). */
export async function removeCatalogAcls(admin: Admin, prefix: string): Promise<void> {
  const filters = catalogAcls(prefix).map(toKafkaJs);
  for (let i = 0; i < filters.length; i += 200) await admin.deleteAcls({ filters: filters.slice(i, i + 200) });
}
