export * from './enqueue.ts';
export * from './metrics.ts';
export * from './publisher.ts';
export type { PurgeOptions } from './purge.ts';
export * from './relay.ts';
export * from './table.ts';
