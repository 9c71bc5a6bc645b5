export * from './money.ts';
export * from './permissions.ts';
