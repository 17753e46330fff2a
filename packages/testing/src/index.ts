export * from './broker.ts';
export * from './stack.ts';
