/**
 * The Gate adapter (Gate API v0.1). What it cannot do (subscriptions, receipts, listing) throws
 * `invalid_request`, as the capability matrix says.
 *
 * Retry decisions:
 * - Look-ups are retried.
 * - Creates (payment link, payout) carry a fresh `referenceId`, which Gate keeps unique per terminal:
 *   a repeat is refused with 1004 and never acts twice. They are retried, and a 1004 is settled by
 *   fetching the payment under that reference: if it is the same amount and currency, it is ours.
 * - Refunds are NOT retried. Gate refunds are requested with the payment's own referenceId, which
 *   already exists, so the 1004 guard says nothing about them; that a second full refund is refused
 *   is what the sandbox does, not what Gate documents. Nothing proves a repeat cannot refund twice,
 *   so a lost answer is `unknown_outcome`, settled by a look-up (a refunded payment shows
 *   `actualAmount: 0`).
 */
import {
  capabilityGaps,
  providerCapabilities,
  type Money,
  type ProviderCapabilities,
  type TransactionKind,
} from '@paydesk/domain';
import { randomUUID } from 'node:crypto';
import type {
  ConnectionConfig,
  GateCredentials,
  NormalizedRefund,
  NormalizedTransaction,
  PaymentLink,
  PaymentLinkRequest,
  PayoutRequest,
  ProviderAdapter,
  RefundRequest,
  TransactionRef,
} from '../adapter.ts';
import { customerMetadata } from '../customer-metadata.ts';
import { ProviderError, isProviderError } from '../errors.ts';
import type { HttpCall } from '../http.ts';
import { createGateHttp, decodeAnswer, gatePaymentsPath } from './client.ts';
import { gateKindKey, normalizeGatePayment } from './normalize.ts';
import { gatePaymentSchema } from './schemas.ts';
import { parseGateWebhook } from './webhooks.ts';

export { parseGateWebhook } from './webhooks.ts';
export { normalizeGatePayment } from './normalize.ts';
export { readGateError } from './client.ts';

/** Gate's refund `amount` is an int32. */
const int32Max = 2_147_483_647n;

function invalid(message: string): ProviderError {
  return new ProviderError({ kind: 'invalid_request', provider: 'gate', message, retrySafe: true });
}

function unsupported(capability: keyof ProviderCapabilities): ProviderError {
  const why = capabilityGaps.gate[capability] ?? 'Gate does not offer it.';
  return invalid(`Gate does not support ${capability}: ${why}`);
}

/** Minor units as a JSON number; Gate's int64 fits, but a JS number is exact only to 2^53. */
function minorNumber(money: Money, max = BigInt(Number.MAX_SAFE_INTEGER)): number {
  if (money.amountMinor <= 0n) throw invalid('The amount must be greater than zero.');
  if (money.amountMinor > max) throw invalid('The amount is too large for Gate.');
  return Number(money.amountMinor);
}

function splitName(name: string | undefined): { firstName?: string; lastName?: string } {
  const parts = name?.trim().split(/\s+/).filter(Boolean) ?? [];
  if (parts.length === 0) return {};
  if (parts.length === 1) return { firstName: parts[0] };
  return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1] };
}

function sameMoney(a: Money, b: Money): boolean {
  return a.amountMinor === b.amountMinor && a.currency === b.currency;
}

export function createGateAdapter(config: ConnectionConfig<GateCredentials>): ProviderAdapter {
  const http = createGateHttp(config);

  async function fetchPayment(reference: string, operation: string): Promise<NormalizedTransaction> {
    const call: HttpCall = {
      operation,
      method: 'GET',
      // The reference may come from a webhook: never let it leave its path segment.
      path: `${gatePaymentsPath}/${encodeURIComponent(reference)}`,
      retrySafe: true,
    };
    const answer = await http.send(call);
    return decodeAnswer(answer, { operation, mutation: false, retrySafe: true }, (body) =>
      normalizeGatePayment(gatePaymentSchema.parse(body)),
    );
  }

  /**
   * A deduplicated create: retried on a lost answer, and a 1004 answered by the payment already
   * under that reference when it is the same request (the earlier attempt got through).
   */
  async function create(
    operation: string,
    path: string,
    body: Record<string, unknown>,
    expected: { reference: string; amount: Money; kind: TransactionKind },
  ): Promise<NormalizedTransaction> {
    let answer;
    try {
      answer = await http.send({
        operation,
        method: 'POST',
        path,
        body: JSON.stringify(body),
        retrySafe: true,
        mutation: true,
      });
    } catch (error) {
      if (!isProviderError(error) || error.kind !== 'duplicate') throw error;
      // The kind comes from Paydesk's own mark on the payment, so a payout never passes for a link.
      const existing = await fetchPayment(expected.reference, `${operation}.existing`);
      if (existing.kind === expected.kind && sameMoney(existing.amount, expected.amount)) return existing;
      throw new ProviderError(
        {
          kind: 'duplicate',
          provider: 'gate',
          message: `${operation}: the reference ${expected.reference} is taken by another ${existing.kind}`,
          ...(error.providerCode ? { providerCode: error.providerCode } : {}),
          ...(error.providerRequestId ? { providerRequestId: error.providerRequestId } : {}),
          ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
          retrySafe: true,
          existing,
        },
        { cause: error },
      );
    }
    return decodeAnswer(answer, { operation, mutation: true, retrySafe: true }, (json) =>
      normalizeGatePayment(gatePaymentSchema.parse(json), { kind: expected.kind }),
    );
  }

  return {
    provider: 'gate',
    capabilities: providerCapabilities.gate,

    lookup(ref: TransactionRef) {
      return fetchPayment(ref.reference, 'lookup');
    },

    async refund(request: RefundRequest): Promise<NormalizedRefund> {
      const amount = minorNumber(request.amount, int32Max);
      // Checked first (a safe look-up), so only a full refund of a refundable payment is ever sent.
      const payment = await fetchPayment(request.transaction.reference, 'refund.lookup');
      if (payment.kind !== 'payment') throw invalid('Gate cannot refund a payout.');
      if (payment.status !== 'succeeded') {
        throw invalid(
          `Gate can refund only a successful payment that is not refunded (it is ${payment.status}).`,
        );
      }
      if (!sameMoney(payment.amount, request.amount)) {
        throw invalid(`Gate refunds only the full amount. ${capabilityGaps.gate.refund ?? ''}`.trim());
      }
      const operation = 'refund';
      const answer = await http.send({
        operation,
        method: 'POST',
        path: `${gatePaymentsPath}/refund`,
        body: JSON.stringify({
          // The payment's reference: Gate addresses the refund by the payment it reverses (README).
          referenceId: payment.reference,
          amount,
          currencyCode: request.amount.currency,
        }),
        retrySafe: false,
      });
      const transaction = decodeAnswer(answer, { operation, mutation: true, retrySafe: false }, (json) =>
        normalizeGatePayment(gatePaymentSchema.parse(json), { kind: 'payment' }),
      );
      return {
        // Gate gives a refund no id of its own: it is the payment's reversal.
        providerId: `${payment.reference}/refund`,
        reference: payment.reference,
        status:
          transaction.status === 'refunded'
            ? 'succeeded'
            : transaction.status === 'declined' || transaction.status === 'failed'
              ? 'failed'
              : 'pending',
        rawStatus: transaction.rawStatus,
        amount: request.amount,
        transaction,
      };
    },

    cancelSubscription() {
      return Promise.reject(unsupported('cancelSubscription'));
    },

    fetchReceipt() {
      return Promise.reject(unsupported('receipt'));
    },

    async createPaymentLink(request: PaymentLinkRequest): Promise<PaymentLink> {
      const name = splitName(request.customerName);
      const body: Record<string, unknown> = {
        referenceId: request.reference,
        amount: minorNumber(request.amount),
        currencyCode: request.amount.currency,
        ...(request.description ? { description: request.description } : {}),
        customer: { email: request.customerEmail, ...name },
        // Gate returns no customer; it echoes the shop's metadata, where Paydesk reads who paid.
        merchantMetadata: customerMetadata(request.customerEmail, request.customerName),
        paymentMethods: ['card_basic'],
        ...(request.returnUrl ? { paymentPageSettings: { returnUrls: { default: request.returnUrl } } } : {}),
        webhookUrl: request.webhookUrl,
      };
      const transaction = await create('createPaymentLink', `${gatePaymentsPath}/initiate-session`, body, {
        reference: request.reference,
        amount: request.amount,
        kind: 'payment',
      });
      if (!transaction.actionUrl) {
        throw new ProviderError({
          kind: transaction.status === 'action_required' ? 'unknown_outcome' : 'duplicate',
          provider: 'gate',
          message:
            transaction.status === 'action_required'
              ? 'createPaymentLink: Gate created the session without a payment page URL'
              : `createPaymentLink: the payment ${request.reference} is already ${transaction.status}`,
          retrySafe: true,
          existing: transaction,
        });
      }
      return {
        url: transaction.actionUrl,
        providerId: transaction.providerId,
        reference: transaction.reference,
      };
    },

    async createPayout(request: PayoutRequest): Promise<NormalizedTransaction> {
      const { recipient } = request;
      if (!recipient.cardNumber) {
        throw invalid('Gate pays out only to a card number (no card tokens, bank accounts or wallets).');
      }
      const name = splitName(recipient.name);
      const body: Record<string, unknown> = {
        referenceId: request.reference,
        amount: minorNumber(request.amount),
        currencyCode: request.amount.currency,
        paymentMethod: 'card_basic',
        paymentMethodData: {
          cardBasic: {
            cardNumber: recipient.cardNumber,
            ...(recipient.name ? { cardHolder: recipient.name } : {}),
          },
        },
        ...(recipient.email || recipient.name
          ? { customer: { ...(recipient.email ? { email: recipient.email } : {}), ...name } }
          : {}),
        merchantMetadata: { [gateKindKey]: 'payout' },
        webhookUrl: request.webhookUrl,
      };
      return create('createPayout', `${gatePaymentsPath}/payout`, body, {
        reference: request.reference,
        amount: request.amount,
        kind: 'payout',
      });
    },

    listChangedSince() {
      return Promise.reject(unsupported('listChangedSince'));
    },

    parseWebhook(rawBody) {
      return parseGateWebhook(rawBody);
    },

    async testCredentials() {
      // A reference nobody uses: "not found" proves the key was accepted, 1003 that it was not.
      try {
        await fetchPayment(`paydesk-credentials-check-${randomUUID()}`, 'testCredentials');
      } catch (error) {
        if (isProviderError(error) && error.kind === 'not_found') return;
        throw error;
      }
    },
  };
}
