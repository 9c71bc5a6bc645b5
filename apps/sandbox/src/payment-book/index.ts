import type { ProviderModule } from '../core/contract.ts';
import { PaymentBookEngine, type PaymentBookOptions } from './engine.ts';
import { registerPaymentBookRoutes } from './routes.ts';

export { PaymentBookEngine, type PaymentBookOptions, type WebhookShape } from './engine.ts';

/** Payment Book (GATE DIRECT API, payment-book-api.txt) with its checkout and 3-D Secure pages. */
export function createPaymentBookModule(options: PaymentBookOptions = {}): ProviderModule {
  return {
    name: 'payment-book',
    register(app, ctx) {
      const engine = new PaymentBookEngine(ctx, options);
      registerPaymentBookRoutes(app, engine);
      return engine;
    },
  };
}

export const paymentBookModule: ProviderModule = createPaymentBookModule();

export default paymentBookModule;
