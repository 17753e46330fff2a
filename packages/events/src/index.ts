export * from './create-topics.ts';
export * from './topics.ts';
