/**
 * Paytone's private API under `/api`: HTTP Basic (login = commerce account id, password = API key).
 */
import { floatToMinor } from '@paydesk/domain';
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../core/contract.ts';
import {
  paymentInvoiceResource,
  paymentServiceResource,
  payoutInvoiceResource,
  refundResource,
} from './documents.ts';
import type { PaytoneEngine } from './engine.ts';
import { checkBasicAuth, conflict, installNotFound, notFound, unauthorized, unprocessable } from './http.ts';
import type { PaymentInvoice, PayoutInvoice } from './model.ts';
import { findPaymentServiceById, paymentServices } from './services.ts';
import type { PageRequest } from './store.ts';
import {
  fieldErrors,
  payoutDraft,
  payoutInvoiceRequest,
  paymentDraft,
  privatePaymentInvoiceRequest,
  refundRequest,
} from './validation.ts';

/** The commerce account's settlement currency (the `currency` of payment services). */
export const accountCurrency = 'EUR';

type Query = Record<string, unknown>;
type WithId = FastifyRequest<{ Params: { id: string } }>;

/** A positive integer query parameter within bounds, its default when absent, or null when invalid. */
function integerParam(query: Query, name: string, fallback: number, max: number): number | null {
  const value = query[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return null;
  const number = Number(value);
  return number >= 1 && number <= max ? number : null;
}

const maxPageSize = 100;

export function privateApi(engine: PaytoneEngine, ctx: SandboxContext): FastifyPluginCallback {
  const { store } = engine;
  const testModeServices = ctx.credentials.paytone.publicKey.startsWith('pk_test_');

  const payment = (id: string): PaymentInvoice => {
    const invoice = store.payments.get(id);
    if (!invoice) throw notFound();
    return invoice;
  };
  const payout = (id: string): PayoutInvoice => {
    const found = store.payouts.get(id);
    if (!found) throw notFound();
    return found;
  };
  const paymentDocument = (invoice: PaymentInvoice) => ({
    data: paymentInvoiceResource(invoice, engine.baseUrl),
  });
  const payoutDocument = (found: PayoutInvoice) => ({ data: payoutInvoiceResource(found) });

  return (scope, _options, done) => {
    installNotFound(scope);
    scope.addHook('onRequest', (request, _reply, next) => {
      next(checkBasicAuth(request, ctx.credentials.paytone) ? undefined : unauthorized());
    });

    // --- payment services ------------------------------------------------------------------------

    scope.get('/payment-services', (request) => {
      const query = request.query as Query;
      const size = integerParam(query, 'page[size]', 20, maxPageSize);
      const number = integerParam(query, 'page[number]', 1, Number.MAX_SAFE_INTEGER);
      if (size === null)
        throw unprocessable({ 'page[size]': `This value should be between 1 and ${maxPageSize}.` });
      if (number === null)
        throw unprocessable({ 'page[number]': 'This value should be a positive integer.' });
      const pages = Math.max(1, Math.ceil(paymentServices.length / size));
      const link = (page: number) => `/api/payment-services?page[number]=${page}&page[size]=${size}`;
      const links: Record<string, string> = { first: link(1), last: link(pages) };
      if (number > 1) links.prev = link(Math.min(number - 1, pages));
      if (number < pages) links.next = link(number + 1);
      return {
        meta: { total: paymentServices.length, pages, page: number },
        links,
        data: paymentServices
          .slice((number - 1) * size, number * size)
          .map((service) => paymentServiceResource(service, accountCurrency, testModeServices)),
      };
    });

    scope.get('/payment-services/:id', (request: WithId) => {
      const service = findPaymentServiceById(request.params.id);
      if (!service) throw notFound();
      return { data: paymentServiceResource(service, accountCurrency, testModeServices) };
    });

    // --- payment invoices ------------------------------------------------------------------------

    scope.post('/payment-invoices', (request, reply) => {
      const parsed = privatePaymentInvoiceRequest.safeParse(request.body);
      if (!parsed.success) throw unprocessable(fieldErrors(parsed.error, { jsonApi: true }));
      const { test_mode: testMode, ...fields } = parsed.data.data.attributes;
      const now = engine.now();
      const result = paymentDraft(fields, { testMode: testMode ?? false, nowMs: now });
      if (!result.ok) throw unprocessable(result.errors);
      const created = engine.createPayment(result.draft, { atMs: now, source: 'merchant_api' });
      if ('duplicate' in created) throw conflict(paymentDocument(created.duplicate));
      engine.startPayment(created.created);
      return reply.code(201).send(paymentDocument(created.created));
    });

    scope.get('/payment-invoices', (request) => {
      const query = request.query as Query;
      const errors: Record<string, string> = {};
      const size = integerParam(query, 'page[size]', 20, maxPageSize);
      if (size === null) errors['page[size]'] = `This value should be between 1 and ${maxPageSize}.`;
      const page: PageRequest = { size: size ?? 20 };
      for (const [key, value] of Object.entries(query)) {
        if (key === 'page[size]') continue;
        if (typeof value !== 'string') {
          errors[key] = 'This value should be of type string.';
        } else if (key === 'filter[reference_id]') {
          page.referenceId = value;
        } else if (key === 'page[after]') {
          page.after = value;
        } else if (key === 'page[before]') {
          page.before = value;
        } else if (key.startsWith('filter[')) {
          // Only the documented filter exists: an ignored filter would silently return everything.
          errors[key] = 'This filter is not supported.';
        }
      }
      if (page.after !== undefined && page.before !== undefined) {
        errors['page[before]'] = 'Use either page[after] or page[before], not both.';
      }
      if (Object.keys(errors).length > 0) throw unprocessable(errors);
      const result = store.listPayments(page);
      if (!result.ok) throw unprocessable({ [result.cursor]: 'This cursor is not an invoice of this list.' });
      const { items } = result;
      const first = items[0]?.id ?? null;
      const last = items[items.length - 1]?.id ?? null;
      const link = (cursor: 'before' | 'after', id: string) => {
        const filter =
          page.referenceId === undefined
            ? ''
            : `filter[reference_id]=${encodeURIComponent(page.referenceId)}&`;
        return `/api/payment-invoices?${filter}page[${cursor}]=${id}&page[size]=${page.size}`;
      };
      return {
        meta: { count: items.length, size: page.size, before: first, after: last },
        links: {
          prev: result.hasPrevious && first ? link('before', first) : '',
          next: result.hasNext && last ? link('after', last) : '',
        },
        data: items.map((invoice) => paymentInvoiceResource(invoice, engine.baseUrl)),
      };
    });

    scope.get('/payment-invoices/:id', (request: WithId) => paymentDocument(payment(request.params.id)));

    scope.post('/payment-invoices/:id/refund', (request: WithId, reply) => {
      const invoice = payment(request.params.id);
      const parsed = refundRequest.safeParse(request.body);
      if (!parsed.success) throw unprocessable(fieldErrors(parsed.error, { jsonApi: true }));
      const attributes = parsed.data.data.attributes;
      if (attributes.invoiceId != null && attributes.invoiceId !== invoice.id) {
        throw unprocessable({ invoiceId: 'This value should be the id of the invoice in the path.' });
      }
      let amountMinor: bigint;
      try {
        amountMinor = floatToMinor(attributes.amount, invoice.currency);
      } catch {
        throw unprocessable({ amount: `This value is not a valid amount in ${invoice.currency}.` });
      }
      const now = engine.now();
      const result = engine.requestRefund(
        invoice,
        { referenceId: attributes.reference_id, amountMinor, description: attributes.description ?? null },
        now,
      );
      if ('duplicate' in result) throw conflict({ data: refundResource(result.duplicate) });
      if ('errors' in result) throw unprocessable(result.errors);
      engine.run(invoice, now, engine.refundSteps(invoice, result.refund), true);
      return reply.code(201).send({ data: refundResource(result.refund) });
    });

    // --- payout invoices -------------------------------------------------------------------------

    scope.post('/payout-invoices', (request, reply) => {
      const parsed = payoutInvoiceRequest.safeParse(request.body);
      if (!parsed.success) throw unprocessable(fieldErrors(parsed.error, { jsonApi: true }));
      const result = payoutDraft(parsed.data.data.attributes);
      if (!result.ok) throw unprocessable(result.errors);
      const created = engine.createPayout(result.draft, engine.now());
      if ('duplicate' in created) throw conflict(payoutDocument(created.duplicate));
      engine.startPayout(created.created);
      return reply.code(201).send(payoutDocument(created.created));
    });

    scope.post('/payout-invoices/:id/process', (request: WithId) => {
      const found = payout(request.params.id);
      const errors = engine.processPayout(found);
      if (errors) throw unprocessable(errors);
      return payoutDocument(found);
    });

    scope.get('/payout-invoices/:id', (request: WithId) => payoutDocument(payout(request.params.id)));

    done();
  };
}
