/**
 * The Paytone simulator (a white-label of the Corefy platform): private API under `/api`, public API
 * under `/public-api`, the hosted payment page, signed callbacks, and the traffic generator's hooks.
 */
import type { FastifyPluginCallback } from 'fastify';
import type { ProviderModule } from '../core/contract.ts';
import { PaytoneEngine } from './engine.ts';
import { hostedPage } from './hosted-page.ts';
import { installBodyParsers, installErrorHandler } from './http.ts';
import { privateApi } from './private-api.ts';
import { publicApi } from './public-api.ts';
import { createSimulator } from './simulator.ts';
import { PaytoneStore } from './store.ts';

export const paytoneModule: ProviderModule = {
  name: 'paytone',
  register(app, ctx) {
    const engine = new PaytoneEngine(ctx, new PaytoneStore(ctx.random));
    // One encapsulated scope: its parsers and error envelope do not leak onto the core's own routes.
    const plugin: FastifyPluginCallback = (scope, _options, done) => {
      installBodyParsers(scope);
      installErrorHandler(scope);
      void scope.register(privateApi(engine, ctx), { prefix: '/api' });
      void scope.register(publicApi(engine, ctx), { prefix: '/public-api' });
      void scope.register(hostedPage(engine));
      done();
    };
    void app.register(plugin);
    return createSimulator(engine, ctx);
  },
};
