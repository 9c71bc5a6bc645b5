/**
 * The traffic generator's side door: creates payment and payout invoices as the merchant's shop and
 * its customers would have, possibly backdated, and lets them run their course through the engine.
 */
import type {
  ProviderSimulator,
  SandboxContext,
  SandboxRecord,
  SimulatedOutcome,
  SimulatedTransaction,
} from '../core/contract.ts';
import { cardSummary, ok, threeDsCard, type PaytoneEngine, type Step } from './engine.ts';
import { digits } from './ids.ts';
import type { Outcome, PaymentInvoice, PayoutInvoice, Refund, Invoice } from './model.ts';
import { findPaymentService, findPayoutService, type ServiceDefinition } from './services.ts';

const paymentMethodOf = { card: 'payment_card', bank_transfer: 'bank_transfer', wallet: 'applepay' } as const;
const payoutMethodOf = { card: 'payment_card', bank_transfer: 'bank_transfer', wallet: 'paypal' } as const;

/** Reasons seen in `resolution` when an issuer declines, and when the processing itself fails. */
const declineReasons = ['declined', 'insufficient_funds', 'card_expired', 'do_not_honor', 'suspected_fraud'];
const failureReasons = ['provider_error', 'timeout', 'acquirer_unavailable'];

function serviceFor(input: SimulatedTransaction, kind: 'payment' | 'payout'): ServiceDefinition {
  const code =
    kind === 'payment'
      ? `${paymentMethodOf[input.method]}_${input.currency.toLowerCase()}_hpp`
      : `${payoutMethodOf[input.method]}_${input.currency.toLowerCase()}_direct`;
  const service = kind === 'payment' ? findPaymentService(code) : findPayoutService(code);
  if (!service) throw new Error(`Paytone simulator has no ${kind} service for ${input.currency}`);
  if (input.amountMinor < service.amountMinMinor || input.amountMinor > service.amountMaxMinor) {
    throw new Error(`Paytone simulator: ${input.amountMinor} is outside ${code}'s limits`);
  }
  return service;
}

export function createSimulator(engine: PaytoneEngine, ctx: SandboxContext): ProviderSimulator {
  const { lifecycle } = ctx;
  const pick = (reasons: string[]): string =>
    reasons[Math.floor(ctx.random() * reasons.length)] ?? 'declined';

  const customerMetadata = (input: SimulatedTransaction) => ({
    customerEmail: input.customer.email,
    customerName: input.customer.name,
  });
  const customerOf = (input: SimulatedTransaction) => ({
    referenceId: input.customer.email,
    name: input.customer.name,
    email: input.customer.email,
    country: input.customer.country,
  });

  /** processing → outcome, or the stops short of it that `pending` and `action_required` describe. */
  function outcomeSteps(tracked: Invoice, outcome: SimulatedOutcome, start: Step): Step[] {
    const settle = (result: Outcome): Step => ({
      afterMs: lifecycle.settleAfterMs,
      apply: (at) => engine.settle(tracked, result, at),
    });
    switch (outcome) {
      case 'success':
        return [start, settle(engine.success(tracked))];
      case 'declined':
        return [start, settle(engine.failure(tracked, pick(declineReasons)))];
      case 'failed':
        return [start, settle(engine.failure(tracked, pick(failureReasons)))];
      case 'pending':
        return [start];
      case 'expired':
        return [{ afterMs: lifecycle.expireAfterMs, apply: (at) => engine.expire(tracked, at) }];
      case 'action_required':
        // Callers handle it: its meaning differs between payments and payouts.
        return [];
    }
  }

  function refundSteps(invoice: PaymentInvoice, input: SimulatedTransaction): Step[] {
    return input.refunds.flatMap((amountMinor, index): Step[] => {
      let refund: Refund | undefined;
      return [
        {
          afterMs: lifecycle.settleAfterMs,
          apply: (at) => {
            const result = engine.requestRefund(
              invoice,
              { referenceId: `${input.reference}-refund-${index + 1}`, amountMinor, description: null },
              at,
            );
            if (!('refund' in result)) return false;
            refund = result.refund;
            return true;
          },
        },
        {
          afterMs: lifecycle.settleAfterMs,
          apply: (at) => (refund ? engine.completeRefund(invoice, refund, at) : false),
        },
      ];
    });
  }

  function simulatePayment(input: SimulatedTransaction): PaymentInvoice {
    const refunded = input.refunds.reduce((sum, amount) => sum + amount, 0n);
    if (input.outcome === 'success' ? refunded > input.amountMinor : refunded > 0n) {
      throw new Error(`Paytone simulator: refunds of ${input.reference} exceed what was paid`);
    }
    const service = serviceFor(input, 'payment');
    const result = engine.createPayment(
      {
        referenceId: input.reference,
        service,
        amountMinor: input.amountMinor,
        paymentFlow: 'charge',
        // The sandbox is a test environment: its simulated merchant trades in test mode.
        testMode: true,
        description: `Order ${input.reference}`,
        serviceFields: null,
        customer: customerOf(input),
        // What a shop keeps there: who the customer is (the invoice names it only by id).
        metadata: customerMetadata(input),
        returnUrl: null,
        returnUrls: null,
        callbackUrl: input.webhookUrl ?? null,
        expiresMs: null,
      },
      { atMs: input.at, source: 'merchant_api' },
    );
    if (!('created' in result)) throw new Error(`Paytone simulator: reference ${input.reference} is taken`);
    const invoice = result.created;
    const cardEntered = () => {
      if (service.method === 'payment_card' && input.card) {
        invoice.card = { ...cardSummary(input.card.number), brand: input.card.brand };
      }
    };
    const start: Step = {
      afterMs: lifecycle.processingAfterMs,
      apply: (at) => {
        cardEntered();
        return engine.startProcessing(invoice, at);
      },
    };
    let steps: Step[];
    if (input.outcome === 'action_required') {
      // The customer reached 3-D Secure and never answered: still pending, `flow_data` points to the challenge.
      steps = [
        {
          afterMs: lifecycle.processingAfterMs,
          apply: (at) => {
            cardEntered();
            invoice.card ??= cardSummary(threeDsCard);
            invoice.stage = 'three_ds';
            invoice.updatedMs = at;
            return false;
          },
        },
      ];
    } else {
      steps = outcomeSteps(invoice, input.outcome, start);
      if (input.outcome === 'success') steps.push(...refundSteps(invoice, input));
    }
    engine.run(invoice, input.at, steps, true);
    return invoice;
  }

  function simulatePayout(input: SimulatedTransaction): PayoutInvoice {
    const service = serviceFor(input, 'payout');
    const recipient: Record<string, string> =
      service.method === 'payment_card'
        ? { card_number: input.card?.number ?? '4111111111111111' }
        : service.method === 'bank_transfer'
          ? { account_number: `LV${digits(ctx.random, 2)}PAYD${digits(ctx.random, 13)}` }
          : { email: input.customer.email };
    const result = engine.createPayout(
      {
        referenceId: input.reference,
        service,
        amountMinor: input.amountMinor,
        // The sandbox is a test environment: its simulated merchant trades in test mode.
        testMode: true,
        autoProcess: input.outcome !== 'expired',
        serviceFields: recipient,
        token: null,
        description: `Payout ${input.reference}`,
        customer: customerOf(input),
        // What a shop keeps there: who the customer is (the invoice names it only by id).
        metadata: customerMetadata(input),
        callbackUrl: input.webhookUrl ?? null,
      },
      input.at,
    );
    if (!('created' in result)) throw new Error(`Paytone simulator: reference ${input.reference} is taken`);
    const payout = result.created;
    const start: Step = {
      afterMs: lifecycle.processingAfterMs,
      apply: (at) => engine.startProcessing(payout, at),
    };
    const steps =
      input.outcome === 'action_required'
        ? // Payouts ask nothing of anyone: the nearest state is an outcome the provider has not learnt yet.
          [
            start,
            {
              afterMs: lifecycle.settleAfterMs,
              apply: (at: number) => engine.setStatus(payout, { ...ok, status: 'process_pending' }, at),
            },
          ]
        : outcomeSteps(payout, input.outcome, start);
    engine.run(payout, input.at, steps, true);
    return payout;
  }

  const record = (tracked: PaymentInvoice | PayoutInvoice): SandboxRecord => ({
    provider: 'paytone',
    providerId: tracked.id,
    reference: tracked.referenceId,
    kind: tracked.kind,
    status: tracked.status,
    amountMinor: tracked.amountMinor,
    refundedMinor: tracked.kind === 'payment' ? tracked.refundedMinor : 0n,
    currency: tracked.currency,
    ...(tracked.customer?.email ? { customerEmail: tracked.customer.email } : {}),
    createdAt: tracked.createdMs,
    updatedAt: tracked.updatedMs,
  });

  return {
    simulate(input) {
      // The executor turns a throw (unknown currency, taken reference) into a rejection.
      return new Promise((resolve) => {
        switch (input.kind) {
          case 'payment':
            resolve({ providerId: simulatePayment(input).id });
            break;
          case 'payout':
            resolve({ providerId: simulatePayout(input).id });
            break;
          case 'subscription':
            throw new Error('Paytone has no subscriptions');
        }
      });
    },
    records() {
      return [...engine.store.payments.values(), ...engine.store.payouts.values()].map(record);
    },
    forceStatus(providerId, status, options) {
      return engine.forceStatus(providerId, status, options);
    },
  };
}
