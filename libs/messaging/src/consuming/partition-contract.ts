import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { PARTITIONER } from '@finmesh/contracts';
import { BusinessRuleViolation } from './error-classification';

/** kafkajs' Java-compatible partitioner: murmur2 of the key, positive, mod the partition count. */
const murmur2 = Partitioners.DefaultPartitioner();

/** The partitioner only counts the partitions; one list per count, not one per record (this runs for every record consumed). */
const metadataByCount = new Map<number, PartitionMetadata[]>();

function partitionMetadataOf(partitions: number): PartitionMetadata[] {
  let metadata = metadataByCount.get(partitions);
  if (!metadata) {
    metadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
    metadataByCount.set(partitions, metadata);
  }
  return metadata;
}

/** The partition the catalog's partitioner (PARTITIONER, murmur2) assigns a key on a topic of `partitions` partitions. */
export function expectedPartition(topic: string, key: Buffer, partitions: number): number {
  return murmur2({ topic, partitionMetadata: partitionMetadataOf(partitions), message: { key, value: null } });
}

/**
 * A keyed record on another partition than its key's: its producer does not use the catalog's
 * partitioner, so the aggregate's events are split across partitions and their order is lost.
 * Permanent (retrying cannot move it): dead-lettered, to be produced again with murmur2.
 */
export class WrongPartitionError extends BusinessRuleViolation {
  constructor(topic: string, key: Buffer, actual: number, expected: number, partitions: number) {
    const shown = key.length > 80 ? `${key.toString('utf8', 0, 80)}…` : key.toString('utf8');
    super(
      `record key '${shown}' belongs to partition ${expected} of ${topic} (${PARTITIONER}, ${partitions} partitions), not ${actual}: its producer must use the ${PARTITIONER} partitioner (librdkafka: partitioner=murmur2_random)`,
      'WRONG_PARTITION',
    );
    this.name = 'WrongPartitionError';
  }
}
