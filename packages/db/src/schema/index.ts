export * from './audit.ts';
export * from './settings.ts';
export * from './users.ts';
export * from './connections.ts';
export * from './ledger.ts';
export * from './views.ts';
export * from './refunds.ts';
