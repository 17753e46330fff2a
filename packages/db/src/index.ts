export * from './database-url.ts';
export * from './migrate.ts';
export * from './pool.ts';
export * from './processed-events.ts';
export * from './sql-executor.ts';
export * from './transaction.ts';
