export * from './codec.ts';
export * from './contracts.generated.ts';
export * from './errors.ts';
export * from './headers.ts';
export * from './registration.ts';
export * from './schemas.ts';
export * from './subjects.ts';
export * from './topics.ts';
