export * from './database-url.ts';
export * from './migrate.ts';
