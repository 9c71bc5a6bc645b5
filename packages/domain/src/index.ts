export * from './money.ts';
export * from './permissions.ts';
export * from './providers.ts';
export * from './statuses.ts';
