import type { ProviderModule } from '../core/contract.ts';
import { GateEngine } from './engine.ts';
import { registerGateRoutes } from './routes.ts';

/** Gate API v0.1 (gate-api.txt), with its hosted payment and 3-D Secure pages. */
export const gateModule: ProviderModule = {
  name: 'gate',
  register(app, ctx) {
    const engine = new GateEngine(ctx);
    registerGateRoutes(app, engine);
    return engine;
  },
};

export default gateModule;
