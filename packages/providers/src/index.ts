export * from './adapter.ts';
export * from './errors.ts';
export { createPaymentBookAdapter } from './payment-book/index.ts';
export { createGateAdapter } from './gate/index.ts';
export { createPaytoneAdapter, type PaytoneAdapterOptions } from './paytone/index.ts';
