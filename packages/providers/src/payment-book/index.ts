/**
 * The Payment Book adapter (GATE DIRECT API, payment-book-api.txt): signed JSON bodies, decimal-string
 * amounts, transactions with operations, receipts and subscriptions. Payment Book cannot list
 * transactions; Paydesk learns of them from signed webhooks and status look-ups by reference.
 *
 * Retries: only look-ups (status, receipt, payment methods) are retried. Payment Book documents no
 * deduplication of `meta.reference_id` on refunds (a refund is addressed by the *original*
 * transaction's reference, so two refunds look identical), and its duplicate handling of creates is
 * undocumented; so refunds, payouts, payment links and cancels are sent once, and a timeout, a
 * body-less or 5xx answer, or an unreadable 2xx answer is `unknown_outcome`: settle it by `lookup`.
 */
import { minorToDecimal, providerCapabilities, type Money } from '@paydesk/domain';
import type {
  ConnectionConfig,
  NormalizedTransaction,
  PaymentBookCredentials,
  PaymentLink,
  ProviderAdapter,
  Receipt,
  WebhookResult,
} from '../adapter.ts';
import { isProviderError, ProviderError } from '../errors.ts';
import { PaymentBookClient, type PbMeta } from './client.ts';
import { normalizeRefund, normalizeTransaction } from './normalize.ts';
import { pbCreatedSchema } from './schemas.ts';
import { parsePaymentBookWebhook } from './webhooks.ts';

export { buildSignedBody, cleanPayload, PaymentBookClient, readPaymentBookError } from './client.ts';
export { normalizeRefund, normalizeTransaction } from './normalize.ts';
export { parsePaymentBookWebhook, webhookEventId } from './webhooks.ts';

const PROVIDER = 'payment-book';

export const paymentBookPaths = {
  purchase: '/api/transaction/purchase/create',
  withdrawal: '/api/transaction/withdrawal/create',
  refund: '/api/transaction/refund',
  status: '/api/transaction/status',
  recurringCancel: '/api/transaction/recurring/cancel',
  receipt: '/api/operation/receipt',
  paymentMethods: '/api/payment-methods',
} as const;

export interface PaymentBookAdapterOptions {
  /**
   * `withdrawal.balance_id`: the merchant balance a payout is taken from. The document shows it
   * without saying where it comes from; by default the service id (one balance per service).
   */
  balanceId?: number;
}

function invalid(message: string): ProviderError {
  return new ProviderError({ kind: 'invalid_request', provider: PROVIDER, message, retrySafe: true });
}

/**
 * The provider accepted a mutation but its answer cannot be read: what happened is unknown to us,
 * and only a look-up may settle it (never sending it again).
 */
function readMutationAnswer<T>(operation: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!isProviderError(error) || error.kind !== 'schema') throw error;
    throw new ProviderError(
      {
        kind: 'unknown_outcome',
        provider: PROVIDER,
        message: `${operation}: the provider accepted the request but its answer could not be read (${error.message})`,
        retrySafe: false,
      },
      { cause: error },
    );
  }
}

function decimal(amount: Money): string {
  return minorToDecimal(amount.amountMinor, amount.currency);
}

function positive(amount: Money, what: string): void {
  if (amount.amountMinor <= 0n) throw invalid(`${what}: the amount must be greater than zero`);
}

/** Laravel's `max:255` counts characters, not UTF-16 units. */
function clip(text: string, max = 255): string {
  return [...text.trim()].slice(0, max).join('');
}

function splitName(name: string | undefined): { first_name?: string; last_name?: string } {
  const [first, ...rest] = (name ?? '').trim().split(/\s+/);
  return {
    ...(first ? { first_name: first } : {}),
    ...(rest.length > 0 ? { last_name: rest.join(' ') } : {}),
  };
}

/** A PDF that is whole: it starts with the header and ends with the end-of-file marker. */
function isWholePdf(bytes: Uint8Array): boolean {
  const decoder = new TextDecoder('latin1');
  const head = decoder.decode(bytes.subarray(0, 5));
  const tail = decoder.decode(bytes.subarray(Math.max(0, bytes.length - 1024)));
  return head === '%PDF-' && tail.includes('%%EOF');
}

function filenameOf(headers: Headers, operationId: string): string {
  const disposition = headers.get('content-disposition') ?? '';
  const given = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  const safe = given ? decodeURIComponent(given).replace(/[^\w.-]/g, '_') : '';
  return safe.toLowerCase().endsWith('.pdf') ? safe : `receipt-${operationId.replace(/[^\w-]/g, '_')}.pdf`;
}

export function createPaymentBookAdapter(
  config: ConnectionConfig<PaymentBookCredentials>,
  options: PaymentBookAdapterOptions = {},
): ProviderAdapter {
  const client = new PaymentBookClient(config);
  const { serviceId, tokenName, tokenSecret } = config.credentials;
  const transactionMeta = (reference: string): PbMeta => ({ reference_id: reference, service_id: serviceId });

  async function status(reference: string, operation: string): Promise<NormalizedTransaction> {
    const answer = await client.json({
      operation,
      path: paymentBookPaths.status,
      meta: transactionMeta(reference),
      retrySafe: true,
    });
    return normalizeTransaction(answer.data, { reference: reference.trim() });
  }

  return {
    provider: PROVIDER,
    capabilities: providerCapabilities[PROVIDER],

    lookup(ref) {
      return status(ref.reference, 'lookup');
    },

    async refund(request) {
      positive(request.amount, 'refund');
      const reference = request.transaction.reference;
      const answer = await client.json({
        operation: 'refund',
        path: paymentBookPaths.refund,
        meta: transactionMeta(reference),
        payload: {
          refund: {
            amount: decimal(request.amount),
            currency: request.amount.currency,
            comment: clip(request.reason),
          },
        },
        retrySafe: false,
      });
      const refund = readMutationAnswer('refund', () =>
        normalizeRefund(answer.data, { reference: request.reference, currency: request.amount.currency }),
      );
      // The answer's parent is the older serializer without operations; the status call has them.
      // The refund is done either way, so a failed follow-up must not turn it into an error.
      const transaction = await status(reference, 'refund.lookup').catch(() => undefined);
      return { ...refund, ...(transaction ? { transaction } : {}) };
    },

    async cancelSubscription(ref) {
      const answer = await client.json({
        operation: 'cancelSubscription',
        path: paymentBookPaths.recurringCancel,
        meta: transactionMeta(ref.reference),
        retrySafe: false,
      });
      return readMutationAnswer('cancelSubscription', () =>
        normalizeTransaction(answer.data, { reference: ref.reference.trim() }),
      );
    },

    async fetchReceipt(operationProviderId): Promise<Receipt> {
      const answer = await client.bytes({
        operation: 'fetchReceipt',
        path: paymentBookPaths.receipt,
        meta: { ulid: operationProviderId },
        retrySafe: true,
      });
      if (!isWholePdf(answer.bytes)) {
        throw new ProviderError({
          kind: 'schema',
          provider: PROVIDER,
          message: `fetchReceipt: the provider answered ${answer.contentType || 'no content type'} that is not a whole PDF`,
          retrySafe: true,
        });
      }
      return { pdf: answer.bytes, filename: filenameOf(answer.headers, operationProviderId) };
    },

    async createPaymentLink(request): Promise<PaymentLink> {
      positive(request.amount, 'createPaymentLink');
      const amount = decimal(request.amount);
      const back = request.returnUrl;
      const answer = await client.json({
        operation: 'createPaymentLink',
        path: paymentBookPaths.purchase,
        meta: transactionMeta(request.reference),
        payload: {
          payment: { amount, currency: request.amount.currency },
          user: { email: request.customerEmail, ...splitName(request.customerName) },
          webhook: { url: request.webhookUrl, token_name: tokenName },
          redirect: back ? { success: back, fail: back, return: back } : undefined,
          // One order line carries the description to the hosted page.
          order: request.description
            ? [{ amount, currency: request.amount.currency, textual: request.description }]
            : undefined,
        },
        retrySafe: false,
      });
      const created = readMutationAnswer('createPaymentLink', () => {
        const parsed = pbCreatedSchema.safeParse(answer.data);
        if (!parsed.success) {
          throw new ProviderError({
            kind: 'schema',
            provider: PROVIDER,
            message: 'the answer has no redirect_url and ulid',
            retrySafe: true,
          });
        }
        return parsed.data;
      });
      return {
        url: created.redirect_url,
        providerId: created.ulid,
        reference: created.reference_id?.trim() || request.reference.trim(),
      };
    },

    async createPayout(request) {
      positive(request.amount, 'createPayout');
      const { cardNumber, cardToken, iban } = request.recipient;
      if (cardNumber ?? cardToken ?? iban) {
        // A withdrawal goes to the merchant's account set up in Payment Book's backoffice; the API
        // has no field for a recipient, and silently dropping one would pay someone else.
        throw invalid(
          'createPayout: Payment Book pays out only to the merchant account set up in its backoffice',
        );
      }
      await client.json({
        operation: 'createPayout',
        path: paymentBookPaths.withdrawal,
        meta: transactionMeta(request.reference),
        payload: {
          withdrawal: {
            amount: decimal(request.amount),
            currency: request.amount.currency,
            balance_id: options.balanceId ?? serviceId,
          },
          webhook: { url: request.webhookUrl, token_name: tokenName },
        },
        retrySafe: false,
      });
      // The create answers `data: null`; the withdrawal's state comes from a status look-up.
      try {
        return await status(request.reference, 'createPayout.lookup');
      } catch (error) {
        throw new ProviderError(
          {
            kind: 'unknown_outcome',
            provider: PROVIDER,
            message: 'createPayout: the withdrawal was accepted but its state could not be read; look it up',
            retrySafe: false,
          },
          { cause: error },
        );
      }
    },

    listChangedSince() {
      return Promise.reject(
        invalid('listChangedSince: Payment Book cannot list transactions; use webhooks and look-ups'),
      );
    },

    parseWebhook(rawBody, _headers): WebhookResult {
      try {
        return parsePaymentBookWebhook(rawBody, { secret: tokenSecret, serviceId });
      } catch (error) {
        return {
          verified: false,
          reason: 'malformed',
          detail: error instanceof Error ? error.message : 'the webhook could not be read',
        };
      }
    },

    async testCredentials() {
      try {
        await client.json({
          operation: 'testCredentials',
          path: paymentBookPaths.paymentMethods,
          meta: { service_id: serviceId },
          retrySafe: true,
        });
      } catch (error) {
        // An unknown service id is a credential problem too, though Laravel reports it as a 422.
        if (
          isProviderError(error) &&
          error.kind === 'invalid_request' &&
          error.fields?.some((field) => field.path.startsWith('meta.service_id'))
        ) {
          throw new ProviderError(
            {
              kind: 'auth',
              provider: PROVIDER,
              message: 'testCredentials: the service id is not one of this token',
              retrySafe: true,
              ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
              ...(error.providerRequestId ? { providerRequestId: error.providerRequestId } : {}),
              ...(error.fields ? { fields: error.fields } : {}),
            },
            { cause: error },
          );
        }
        throw error;
      }
    },
  };
}
