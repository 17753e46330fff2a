export * from './config.ts';
export * from './errors.ts';
export * from './http/app.ts';
export type { StatusByCode } from './http/errors.ts';
export type { ReadinessCheck } from './http/operations.ts';
export * from './lifecycle.ts';
export * from './logger.ts';
