export * from './bench.ts';
export * from './bench-result.ts';
export * from './broker.ts';
export * from './database-server.ts';
export * from './overload.ts';
export * from './process.ts';
export * from './redis-cluster.ts';
export * from './stack.ts';
