export * from './service-metrics';
export * from './cached-source';
export * from './kafka-offsets';
export * from './messaging-metrics';
export * from './messaging-gauges';
export * from './metrics.controller';
export * from './metric-catalog';
