import type { KafkaClientSettings } from '@finmesh/contracts';
import type { OffsetTargets } from './history-reader';
import type { ParticipantTimings } from './rebuild-participant';

/** Where a worker thread finds the projection: a module path and the name it is exported under. */
export interface ProjectionModuleRef {
  readonly modulePath: string;
  readonly exportName: string;
}

/** What a rebuild worker needs to connect on its own (connections cannot cross threads). */
export interface RebuildWorkerData {
  readonly kafka: KafkaClientSettings;
  readonly registryUrl: string;
  readonly databaseUrl: string;
  readonly projection: ProjectionModuleRef;
  readonly stagingSchema: string;
  readonly loadSchema: string;
  readonly topics: readonly string[];
  readonly groupId: string;
}

export type ToWorker =
  | { readonly type: 'load'; readonly targets: OffsetTargets; readonly starts: OffsetTargets }
  | { readonly type: 'drain'; readonly targets: OffsetTargets }
  | { readonly type: 'close' };

export type FromWorker =
  | { readonly type: 'progress'; readonly eventsRead: number }
  | { readonly type: 'done'; readonly step: ToWorker['type']; readonly eventsRead: number; readonly timings: ParticipantTimings | undefined }
  | { readonly type: 'error'; readonly message: string };
