/**
 * The Paytone adapter (a white-label of the Corefy platform), over the private API with HTTP Basic.
 * What it cannot do (subscriptions, receipts) throws `invalid_request`, as the capability matrix says.
 *
 * Retry decisions: every create (payment invoice, payout invoice, refund) carries Paydesk's
 * `reference_id`, which Paytone deduplicates — a repeat answers 409 with the earlier object. So creates
 * are retried after a lost answer, a 409 for the same request is the earlier attempt's success, and
 * when every attempt is lost the result is `unknown_outcome`: the caller settles it by sending the same
 * request again (or, for payment invoices, by a look-up by reference). Only `POST …/process` (a payout
 * created without `auto_process`, which Paydesk never does itself) is not retried.
 */
import {
  capabilityGaps,
  minorToFloat,
  MoneyError,
  providerCapabilities,
  type Money,
  type ProviderCapabilities,
  type TransactionKind,
} from '@paydesk/domain';
import type {
  ChangedPage,
  ConnectionConfig,
  NormalizedRefund,
  NormalizedTransaction,
  PaymentLink,
  PaymentLinkRequest,
  PaytoneCredentials,
  PayoutRequest,
  ProviderAdapter,
  RefundRequest,
  TransactionRef,
} from '../adapter.ts';
import { customerMetadata } from '../customer-metadata.ts';
import { isProviderError, ProviderError } from '../errors.ts';
import { createPaytoneHttp, decodeAnswer } from './client.ts';
import { normalizeDocument, normalizePaymentInvoice, paytoneMoney } from './normalize.ts';
import { paymentInvoiceListSchema } from './schemas.ts';
import { parsePaytoneCallback } from './webhooks.ts';

export { parsePaytoneCallback } from './webhooks.ts';
export { normalizeDocument } from './normalize.ts';
export { readPaytoneError } from './client.ts';

export interface PaytoneAdapterOptions {
  /** Invoices per `listChangedSince` page (Paytone allows up to 100). */
  listPageSize?: number;
}

const paymentInvoicesPath = '/api/payment-invoices';
const payoutInvoicesPath = '/api/payout-invoices';
const invoiceId = /^cpi_[A-Za-z0-9]+$/;

type ListPosition =
  | { phase: 'backfill'; newest?: string | undefined; after?: string | undefined }
  | { phase: 'forward'; newest: string };

/** `paytone:b:<newest|->:<after|->` while walking back through history, then `paytone:f:<newest>`. */
function writeListCursor(position: ListPosition): string {
  return position.phase === 'forward'
    ? `paytone:f:${position.newest}`
    : `paytone:b:${position.newest ?? '-'}:${position.after ?? '-'}`;
}

function readListCursor(cursor: string | null): ListPosition {
  if (cursor === null) return { phase: 'backfill' };
  const [prefix, phase, newest, after, ...rest] = cursor.split(':');
  const id = (value: string | undefined) => (value && invoiceId.test(value) ? value : undefined);
  if (prefix === 'paytone' && rest.length === 0) {
    if (phase === 'f' && after === undefined && id(newest)) return { phase: 'forward', newest: newest! };
    const known = (value: string | undefined) => value === '-' || id(value) !== undefined;
    if (phase === 'b' && known(newest) && known(after)) {
      return { phase: 'backfill', newest: id(newest), after: id(after) };
    }
  }
  throw invalid('listChangedSince: this is not a Paytone cursor.');
}
const maxText = 255;

function invalid(message: string): ProviderError {
  return new ProviderError({ kind: 'invalid_request', provider: 'paytone', message, retrySafe: true });
}

function unsupported(capability: keyof ProviderCapabilities): ProviderError {
  const why = capabilityGaps.paytone[capability] ?? 'Paytone does not offer it.';
  return invalid(`Paytone does not support ${capability}: ${why}`);
}

function toFloat(money: Money): number {
  if (money.amountMinor <= 0n) throw invalid('The amount must be greater than zero.');
  try {
    return minorToFloat(money.amountMinor, money.currency);
  } catch (error) {
    if (error instanceof MoneyError)
      throw invalid(`Paytone cannot carry ${money.currency} ${money.amountMinor}.`);
    throw error;
  }
}

function clipText(text: string | undefined): string | undefined {
  const value = text?.trim();
  // Paytone refuses an empty string where it accepts an absent field.
  return value ? value.slice(0, maxText) : undefined;
}

function sameMoney(a: Money, b: Money): boolean {
  return a.amountMinor === b.amountMinor && a.currency === b.currency;
}

/** What was asked for, even when `amount` was normalized to what a partial payment brought in. */
function requestedAmount(transaction: NormalizedTransaction): Money {
  const raw = transaction.raw as { attributes?: { amount?: unknown } } | undefined;
  const amount = raw?.attributes?.amount;
  if (typeof amount !== 'number') return transaction.amount;
  try {
    return paytoneMoney(amount, transaction.amount.currency, 'amount');
  } catch {
    return transaction.amount;
  }
}

function isTransaction(value: unknown): value is NormalizedTransaction {
  return (
    typeof value === 'object' && value !== null && (value as { provider?: unknown }).provider === 'paytone'
  );
}

function isRefund(value: unknown): value is NormalizedRefund {
  return typeof value === 'object' && value !== null && 'status' in value && !('provider' in value);
}

function withExisting(error: ProviderError, message: string): ProviderError {
  return new ProviderError(
    {
      kind: 'duplicate',
      provider: 'paytone',
      message,
      ...(error.providerCode ? { providerCode: error.providerCode } : {}),
      ...(error.providerRequestId ? { providerRequestId: error.providerRequestId } : {}),
      ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
      retrySafe: true,
      existing: error.existing,
    },
    { cause: error },
  );
}

/**
 * Payout services by recipient. Service codes follow the account's catalogue convention
 * `<method>_<currency>_<flow>` (e.g. `payment_card_usd_hpp` in the documents).
 */
function payoutTarget(request: PayoutRequest): { service: string; fields: Record<string, unknown> } {
  const currency = request.amount.currency.toLowerCase();
  const { recipient } = request;
  if (recipient.cardToken) {
    return { service: `payment_card_${currency}_direct`, fields: { token: recipient.cardToken } };
  }
  if (recipient.cardNumber) {
    return {
      service: `payment_card_${currency}_direct`,
      fields: { service_fields: { card_number: recipient.cardNumber.replace(/[\s-]/g, '') } },
    };
  }
  if (recipient.iban) {
    return {
      service: `bank_transfer_${currency}_direct`,
      fields: { service_fields: { account_number: recipient.iban.replace(/\s/g, '').toUpperCase() } },
    };
  }
  if (recipient.email) {
    return { service: `paypal_${currency}_direct`, fields: { service_fields: { email: recipient.email } } };
  }
  throw invalid('A Paytone payout needs a card (number or token), an IBAN or a PayPal e-mail.');
}

function customer(email: string | undefined, name: string | undefined): Record<string, unknown> {
  // Paytone requires the merchant's customer reference with a customer; the e-mail is Paydesk's.
  if (!email) return {};
  const clipped = clipText(name);
  return { customer: { reference_id: email, email, ...(clipped ? { name: clipped } : {}) } };
}

export function createPaytoneAdapter(
  config: ConnectionConfig<PaytoneCredentials>,
  options: PaytoneAdapterOptions = {},
): ProviderAdapter {
  const http = createPaytoneHttp(config);
  const { credentials } = config;
  const testMode = config.mode === 'test';
  const pageSize = Math.min(Math.max(options.listPageSize ?? 100, 1), 100);

  async function getInvoice(path: string, operation: string): Promise<NormalizedTransaction> {
    const answer = await http.send({ operation, method: 'GET', path, retrySafe: true });
    return decodeAnswer(answer, { operation, mutation: false, retrySafe: true }, (json) => {
      const document = normalizeDocument(json);
      if (document.type !== 'transaction') throw new Error('not an invoice');
      return document.transaction;
    });
  }

  async function findByReference(reference: string, operation: string): Promise<NormalizedTransaction> {
    const answer = await http.send({
      operation,
      method: 'GET',
      path: paymentInvoicesPath,
      searchParams: { 'filter[reference_id]': reference },
      retrySafe: true,
    });
    const found = decodeAnswer(answer, { operation, mutation: false, retrySafe: true }, (json) => {
      const list = paymentInvoiceListSchema.parse(json);
      const match = list.data.find((item) => item.attributes.reference_id === reference);
      return match ? normalizePaymentInvoice(match, list.included) : undefined;
    });
    if (!found) {
      throw new ProviderError({
        kind: 'not_found',
        provider: 'paytone',
        message: `${operation}: Paytone has no payment invoice with this reference_id (payouts are found by id only)`,
        httpStatus: answer.status,
        ...(answer.requestId ? { providerRequestId: answer.requestId } : {}),
        retrySafe: true,
      });
    }
    return found;
  }

  function lookup(ref: TransactionRef, operation = 'lookup'): Promise<NormalizedTransaction> {
    if (ref.providerId) {
      const base = ref.providerId.startsWith('cpoi_') ? payoutInvoicesPath : paymentInvoicesPath;
      return getInvoice(`${base}/${encodeURIComponent(ref.providerId)}`, operation);
    }
    return findByReference(ref.reference, operation);
  }

  /** A create Paytone deduplicates by reference_id: a 409 for the same request is our earlier success. */
  async function createInvoice(
    operation: string,
    path: string,
    document: unknown,
    expected: { reference: string; amount: Money; kind: TransactionKind },
  ): Promise<NormalizedTransaction> {
    let answer;
    try {
      answer = await http.send({
        operation,
        method: 'POST',
        path,
        body: JSON.stringify(document),
        retrySafe: true,
        mutation: true,
      });
    } catch (error) {
      if (!isProviderError(error) || error.kind !== 'duplicate') throw error;
      const existing = error.existing;
      if (
        isTransaction(existing) &&
        existing.kind === expected.kind &&
        existing.reference === expected.reference &&
        sameMoney(requestedAmount(existing), expected.amount)
      ) {
        return existing;
      }
      throw withExisting(
        error,
        `${operation}: the reference_id ${expected.reference} is taken by another object`,
      );
    }
    return decodeAnswer(answer, { operation, mutation: true, retrySafe: true }, (json) => {
      const created = normalizeDocument(json);
      if (created.type !== 'transaction' || created.transaction.kind !== expected.kind) {
        throw new Error('the answer is not the invoice asked for');
      }
      return created.transaction;
    });
  }

  return {
    provider: 'paytone',
    capabilities: providerCapabilities.paytone,

    lookup(ref) {
      return lookup(ref);
    },

    async refund(request: RefundRequest): Promise<NormalizedRefund> {
      const amount = toFloat(request.amount);
      let invoiceId = request.transaction.providerId;
      if (invoiceId?.startsWith('cpoi_')) throw invalid('Paytone cannot refund a payout.');
      if (!invoiceId) {
        const invoice = await lookup({ reference: request.transaction.reference }, 'refund.lookup');
        if (invoice.amount.currency !== request.amount.currency) {
          throw invalid(`The invoice is in ${invoice.amount.currency}, not ${request.amount.currency}.`);
        }
        invoiceId = invoice.providerId;
      }
      const description = clipText(request.reason);
      const operation = 'refund';
      let answer;
      try {
        answer = await http.send({
          operation,
          method: 'POST',
          path: `${paymentInvoicesPath}/${encodeURIComponent(invoiceId)}/refund`,
          body: JSON.stringify({
            data: {
              type: 'refund',
              attributes: {
                invoiceId,
                amount,
                reference_id: request.reference,
                ...(description ? { description } : {}),
              },
            },
          }),
          retrySafe: true,
          mutation: true,
        });
      } catch (error) {
        if (!isProviderError(error) || error.kind !== 'duplicate') throw error;
        const existing = error.existing;
        if (
          isRefund(existing) &&
          existing.reference === request.reference &&
          sameMoney(existing.amount, request.amount)
        ) {
          return existing;
        }
        throw withExisting(error, `refund: the reference_id ${request.reference} is taken by another refund`);
      }
      return decodeAnswer(answer, { operation, mutation: true, retrySafe: true }, (json) => {
        const document = normalizeDocument(json);
        if (document.type !== 'refund') throw new Error('the answer is not a refund');
        return document.refund;
      });
    },

    cancelSubscription() {
      return Promise.reject(unsupported('cancelSubscription'));
    },

    fetchReceipt() {
      return Promise.reject(unsupported('receipt'));
    },

    async createPaymentLink(request: PaymentLinkRequest): Promise<PaymentLink> {
      const description = clipText(request.description);
      const document = {
        data: {
          type: 'payment-invoices',
          attributes: {
            reference_id: request.reference,
            amount: toFloat(request.amount),
            currency: request.amount.currency,
            service: `payment_card_${request.amount.currency.toLowerCase()}_hpp`,
            flow: 'charge',
            test_mode: testMode,
            ...(description ? { description } : {}),
            ...customer(request.customerEmail, request.customerName),
            // The invoice names its customer only by id; its metadata is echoed whole.
            metadata: customerMetadata(request.customerEmail, request.customerName),
            callback_url: request.webhookUrl,
            ...(request.returnUrl ? { return_url: request.returnUrl } : {}),
          },
        },
      };
      const invoice = await createInvoice('createPaymentLink', paymentInvoicesPath, document, {
        reference: request.reference,
        amount: request.amount,
        kind: 'payment',
      });
      if (!invoice.actionUrl) {
        throw new ProviderError({
          kind: 'duplicate',
          provider: 'paytone',
          message: `createPaymentLink: the invoice ${invoice.providerId} is already ${invoice.status}`,
          retrySafe: true,
          existing: invoice,
        });
      }
      return { url: invoice.actionUrl, providerId: invoice.providerId, reference: invoice.reference };
    },

    async createPayout(request: PayoutRequest): Promise<NormalizedTransaction> {
      const target = payoutTarget(request);
      const document = {
        data: {
          type: 'payout-invoice',
          attributes: {
            reference_id: request.reference,
            amount: toFloat(request.amount),
            currency: request.amount.currency,
            service: target.service,
            ...target.fields,
            ...customer(request.recipient.email, request.recipient.name),
            callback_url: request.webhookUrl,
            // One call that creates and pays: nothing can be lost between a create and a `/process`.
            options: { auto_process: true },
            test_mode: testMode,
          },
        },
      };
      const payout = await createInvoice('createPayout', payoutInvoicesPath, document, {
        reference: request.reference,
        amount: request.amount,
        kind: 'payout',
      });
      const raw = payout.raw as { attributes?: { options?: { auto_process?: unknown } } } | undefined;
      if (payout.rawStatus !== 'created' || raw?.attributes?.options?.auto_process !== false) return payout;
      // An earlier payout under this reference was made without auto_process: it waits to be processed.
      const operation = 'createPayout.process';
      const answer = await http.send({
        operation,
        method: 'POST',
        path: `${payoutInvoicesPath}/${encodeURIComponent(payout.providerId)}/process`,
        retrySafe: false,
      });
      return decodeAnswer(answer, { operation, mutation: true, retrySafe: false }, (json) => {
        const document = normalizeDocument(json);
        if (document.type !== 'transaction') throw new Error('the answer is not a payout');
        return document.transaction;
      });
    },

    /**
     * Paytone lists payment invoices newest first in cursor pages (`page[after]=<id>` continues past
     * that invoice towards older ones) and cannot filter them by update time. So one sweep walks the
     * whole list and hands back every invoice in its latest state; the ledger's forward-only statuses
     * discard what it already knew. The cursor is `paytone:after:<id of the last invoice listed>`:
     * ids never move, so it stays valid while new invoices arrive (they land before the first page and
     * are caught by the next sweep, which starts again from `null`). `nextCursor` is null at the end.
     */
    async listChangedSince(cursor: string | null): Promise<ChangedPage> {
      // Paytone lists newest first. Phase "backfill" walks `page[after]` towards the oldest; then
      // phase "forward" asks `page[before]` the newest invoice seen, i.e. what was created since.
      const position = readListCursor(cursor);
      const searchParams: Record<string, string> = { 'page[size]': String(pageSize) };
      if (position.phase === 'backfill' && position.after) searchParams['page[after]'] = position.after;
      if (position.phase === 'forward') searchParams['page[before]'] = position.newest;
      const operation = 'listChangedSince';
      const answer = await http.send({
        operation,
        method: 'GET',
        path: paymentInvoicesPath,
        searchParams,
        retrySafe: true,
      });
      return decodeAnswer(answer, { operation, mutation: false, retrySafe: true }, (json) => {
        const list = paymentInvoiceListSchema.parse(json);
        const transactions = list.data.map((item) => normalizePaymentInvoice(item, list.included));
        const first = list.data[0]?.id;
        const last = list.data[list.data.length - 1]?.id;
        if (position.phase === 'forward') {
          const newest = first ?? position.newest;
          return {
            transactions,
            cursor: writeListCursor({ phase: 'forward', newest }),
            caughtUp: !list.links?.prev,
          };
        }
        const newest = position.newest ?? first;
        if (list.links?.next && last) {
          return {
            transactions,
            cursor: writeListCursor({ phase: 'backfill', newest, after: last }),
            caughtUp: false,
          };
        }
        // The oldest end is reached. An empty list has no newest invoice to go forward from: start over.
        return {
          transactions,
          cursor: newest
            ? writeListCursor({ phase: 'forward', newest })
            : writeListCursor({ phase: 'backfill' }),
          caughtUp: true,
        };
      });
    },

    parseWebhook(rawBody, headers) {
      return parsePaytoneCallback(rawBody, headers, credentials);
    },

    async testCredentials() {
      // The private API (Basic) and the public one (public_key) are checked apart: either can be wrong.
      await http.send({
        operation: 'testCredentials',
        method: 'GET',
        path: '/api/payment-services',
        searchParams: { 'page[size]': '1' },
        retrySafe: true,
      });
      try {
        await http.send({
          operation: 'testCredentials.public',
          method: 'POST',
          path: '/public-api/payment-prerequest',
          body: JSON.stringify({ public_key: credentials.publicKey, currency: 'EUR' }),
          retrySafe: true,
        });
      } catch (error) {
        // A refused currency means the key itself was accepted.
        if (isProviderError(error) && error.kind === 'invalid_request') return;
        throw error;
      }
    },
  };
}
