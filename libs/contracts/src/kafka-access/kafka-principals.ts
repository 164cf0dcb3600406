import fs from 'node:fs';
import path from 'node:path';
import type { IngressPlatform } from '../topics/topic-catalog';

/**
 * Who connects to Kafka. One SCRAM principal per finmesh service and per external platform, an
 * operator, a read-only downstream subscriber, and two super users (the broker itself and the
 * provisioning admin, which creates topics and ACLs). The list lives in principal-list.json
 * because the infra script, which runs before `npm ci`, creates the SCRAM users from it.
 */
interface PrincipalList {
  readonly broker: string;
  readonly admin: string;
  readonly ops: string;
  readonly services: readonly string[];
  readonly platforms: readonly string[];
  readonly subscriber: string;
}

// Read as a file, not imported: the same file feeds the infra script, which has no TypeScript.
const principals = JSON.parse(fs.readFileSync(path.join(__dirname, 'principal-list.json'), 'utf8')) as PrincipalList;

export const KAFKA_BROKER_PRINCIPAL: string = principals.broker;
export const KAFKA_ADMIN_PRINCIPAL: string = principals.admin;
export const KAFKA_OPS_PRINCIPAL: string = principals.ops;
export const KAFKA_SUBSCRIBER_PRINCIPAL: string = principals.subscriber;
export const KAFKA_SERVICES: readonly string[] = principals.services;
export const KAFKA_PLATFORMS: readonly IngressPlatform[] = principals.platforms as IngressPlatform[];

/** `finmesh-po-sync` for po-sync: the principal a service connects as by default. */
export function servicePrincipal(service: string): string {
  return `finmesh-${service}`;
}

/** `finmesh-platform-ap` for the AP platform: the principal its producer connects as. */
export function platformPrincipal(platform: IngressPlatform): string {
  return `finmesh-platform-${platform}`;
}

/** Every SCRAM user the broker knows (the infra script computes the same list from the JSON). */
export function allKafkaPrincipals(): string[] {
  return [
    KAFKA_BROKER_PRINCIPAL,
    KAFKA_ADMIN_PRINCIPAL,
    KAFKA_OPS_PRINCIPAL,
    ...KAFKA_SERVICES.map(servicePrincipal),
    ...KAFKA_PLATFORMS.map(platformPrincipal),
    KAFKA_SUBSCRIBER_PRINCIPAL,
  ];
}
