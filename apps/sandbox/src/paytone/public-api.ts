/**
 * Paytone's public API under `/public-api`: authenticated by the account's `public_key` in the body
 * (in the query string for the GET), test or live according to the key (`pk_test_…`).
 */
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../core/contract.ts';
import { hppUrl, paymentInvoicePublic, prerequestMethod, prerequestService } from './documents.ts';
import type { PaytoneEngine } from './engine.ts';
import {
  checkPublicKey,
  conflict,
  installNotFound,
  isObject,
  notFound,
  unauthorized,
  unprocessable,
} from './http.ts';
import type { PaymentInvoice } from './model.ts';
import { paymentServices } from './services.ts';
import { fieldErrors, paymentDraft, publicPaymentInvoiceRequest } from './validation.ts';

const account = {
  name: 'Paydesk Sandbox',
  description: 'Paytone simulator',
  icon: null,
  website: null,
};

/** HTML forms carry amounts as text; a well-formed decimal becomes the float the JSON API expects. */
function formAmount(body: Record<string, unknown>): Record<string, unknown> {
  const { amount } = body;
  return typeof amount === 'string' && /^\d+(\.\d+)?$/.test(amount)
    ? { ...body, amount: Number(amount) }
    : body;
}

export function publicApi(engine: PaytoneEngine, ctx: SandboxContext): FastifyPluginCallback {
  const { publicKey } = ctx.credentials.paytone;
  const testMode = publicKey.startsWith('pk_test_');

  const authenticatedBody = (request: FastifyRequest): Record<string, unknown> => {
    const body = isObject(request.body) ? request.body : {};
    if (!checkPublicKey(body.public_key, publicKey)) throw unauthorized();
    return body;
  };

  /** Validates and creates; the caller decides how a duplicate is answered. */
  const create = (body: Record<string, unknown>, source: PaymentInvoice['source']) => {
    const parsed = publicPaymentInvoiceRequest.safeParse(body);
    if (!parsed.success) throw unprocessable(fieldErrors(parsed.error, { jsonApi: false }));
    const now = engine.now();
    const result = paymentDraft(parsed.data, { testMode, nowMs: now });
    if (!result.ok) throw unprocessable(result.errors);
    const created = engine.createPayment(result.draft, { atMs: now, source });
    if ('created' in created) engine.startPayment(created.created);
    return created;
  };

  return (scope, _options, done) => {
    installNotFound(scope);

    scope.post('/payment-prerequest', (request) => {
      const body = authenticatedBody(request);
      const { currency } = body;
      if (currency === undefined || currency === '') {
        throw unprocessable({ currency: 'This value should not be blank.' });
      }
      const services = paymentServices.filter((service) => service.currency === currency);
      if (services.length === 0) throw unprocessable({ currency: 'This value is not a valid currency.' });
      return {
        data: {
          currency,
          test_mode: testMode,
          services: Object.fromEntries(services.map((service) => [service.code, prerequestService(service)])),
          methods: Object.fromEntries(
            [...new Set(services.map((service) => service.method))].map((method) => [
              method,
              prerequestMethod(method),
            ]),
          ),
          account,
        },
      };
    });

    scope.post('/payment-invoices', (request, reply) => {
      const created = create(authenticatedBody(request), 'public_api');
      if ('duplicate' in created)
        throw conflict({ data: paymentInvoicePublic(created.duplicate, engine.baseUrl) });
      return reply.code(201).send({ data: paymentInvoicePublic(created.created, engine.baseUrl) });
    });

    // The payment-link form: the browser posts here and is sent on to the hosted page. A repeated
    // reference (a double click) leads to the invoice already made rather than to a JSON error page.
    scope.post('/payment-invoices/process', (request, reply) => {
      const created = create(formAmount(authenticatedBody(request)), 'payment_link');
      const invoice = 'created' in created ? created.created : created.duplicate;
      return reply.redirect(hppUrl(invoice, engine.baseUrl), 303);
    });

    scope.get('/payment-invoices/:id', (request: FastifyRequest<{ Params: { id: string } }>) => {
      const query = request.query as Record<string, unknown>;
      if (!checkPublicKey(query.public_key, publicKey)) throw unauthorized();
      const invoice = engine.store.payments.get(request.params.id);
      if (!invoice) throw notFound();
      return { data: paymentInvoicePublic(invoice, engine.baseUrl) };
    });

    done();
  };
}
