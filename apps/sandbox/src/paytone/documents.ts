/**
 * Renders the simulator's state as Paytone's documents: JSON:API resources for the private API and
 * callbacks, the flat `data` object of the public API, and the error bodies. Floats in major units
 * and unix seconds appear only here.
 */
import { STATUS_CODES } from 'node:http';
import { minorToFloat } from '@paydesk/domain';
import type { PaymentInvoice, PayoutInvoice, Refund, Tracked } from './model.ts';
import { paymentMethods, type ServiceDefinition } from './services.ts';

export const unixSeconds = (ms: number): number => Math.floor(ms / 1000);

const float = (minor: bigint, currency: string): number => minorToFloat(minor, currency);
const floatOrNull = (minor: bigint | null, currency: string): number | null =>
  minor === null ? null : float(minor, currency);
const secondsOrNull = (ms: number | null): number | null => (ms === null ? null : unixSeconds(ms));

// --- errors ------------------------------------------------------------------------------------

export type FieldErrors = Record<string, string>;

/** `{"errors":[{"status":"Unauthorized","code":"401"}]}` and its 4xx siblings. */
export function statusErrorBody(statusCode: number): { errors: { status: string; code: string }[] } {
  return { errors: [{ status: STATUS_CODES[statusCode] ?? 'Error', code: String(statusCode) }] };
}

export function validationErrorBody(fields: FieldErrors): { errors: FieldErrors } {
  return { errors: fields };
}

export const internalErrorBody = {
  errors: [
    { status: 'internal_error', code: '500', title: 'internal_error', detail: 'Internal server error.' },
  ],
};

// --- payment invoices --------------------------------------------------------------------------

/** Where the customer is sent: the hosted page, or its 3-D Secure step while that is pending. */
export function flowData(invoice: PaymentInvoice, baseUrl: string): Record<string, unknown> {
  const action =
    invoice.stage === 'three_ds' ? `${baseUrl}/hpp/${invoice.id}/3ds` : `${baseUrl}/hpp/${invoice.id}`;
  return { action, method: 'GET', params: [], metadata: { sid: invoice.sessionId } };
}

export function hppUrl(invoice: PaymentInvoice, baseUrl: string): string {
  return `${baseUrl}/redirect/hpp/?cpi=${invoice.id}`;
}

function paymentCard(tracked: Tracked): Record<string, unknown> | null {
  if (!tracked.card) return null;
  const { first, last, brand } = tracked.card;
  return {
    token: null,
    client_ip: '',
    payment_card: {
      last,
      mask: `${first}******${last}`,
      brand,
      first,
      holder: null,
      network: brand,
      expiry_year: null,
      issuer_name: null,
      expiry_month: null,
      issuer_country: null,
    },
  };
}

function callbackLogs(tracked: Tracked): Record<string, unknown> | unknown[] {
  // The provider renders an empty log as a JSON list (`"callback_logs": []`), a filled one as an object.
  return Object.keys(tracked.callbackLogs).length === 0 ? [] : tracked.callbackLogs;
}

function serviceRelationships(tracked: Tracked, serviceType: string): Record<string, unknown> {
  const relationships: Record<string, unknown> = {
    [serviceType]: { data: { type: `${serviceType}s`, id: tracked.service.code } },
    'payment-method': { data: { type: 'payment-methods', id: tracked.service.method } },
  };
  if (tracked.customer) relationships.customer = { data: { type: 'customers', id: tracked.customer.id } };
  return relationships;
}

function isProcessed(tracked: Tracked): boolean {
  return tracked.processedAmountMinor !== null;
}

export function paymentInvoiceResource(invoice: PaymentInvoice, baseUrl: string): Record<string, unknown> {
  const { currency } = invoice;
  const deposit = invoice.amountMinor - invoice.feeMinor;
  return {
    type: 'payment-invoices',
    id: invoice.id,
    attributes: {
      serial_number: invoice.serial,
      status: invoice.status,
      resolution: invoice.resolution,
      moderation_required: false,
      amount: float(invoice.amountMinor, currency),
      payment_amount: float(invoice.amountMinor, currency),
      currency,
      service_currency: invoice.service.currency,
      reference_id: invoice.referenceId,
      test_mode: invoice.testMode,
      fee: float(invoice.feeMinor, currency),
      deposit: float(deposit, currency),
      processed: secondsOrNull(invoice.processedMs),
      processed_amount: floatOrNull(invoice.processedAmountMinor, currency),
      refunded_amount: invoice.refundedMinor > 0n ? float(invoice.refundedMinor, currency) : null,
      processed_fee: isProcessed(invoice) ? float(invoice.feeMinor, currency) : null,
      processed_deposit: isProcessed(invoice) ? float(deposit, currency) : null,
      metadata: invoice.metadata,
      flow_data: flowData(invoice, baseUrl),
      flow: invoice.service.flow,
      hpp_url: hppUrl(invoice, baseUrl),
      payment_flow: invoice.paymentFlow,
      created: unixSeconds(invoice.createdMs),
      updated: unixSeconds(invoice.updatedMs),
      payload: paymentCard(invoice),
      description: invoice.description,
      descriptor: null,
      callback_url: invoice.callbackUrl,
      return_url: invoice.returnUrl,
      return_urls: invoice.returnUrls,
      original_data: {
        external_id: invoice.card ? invoice.sessionId : null,
        merchant_id: null,
        provider_id: null,
        external_mid: null,
        provider_code: invoice.card ? 'sandbox' : null,
      },
      rrn: invoice.rrn,
      approval_code: invoice.approvalCode,
      reserved_amount: null,
      reserve_expires: null,
      unreserved: null,
      source: invoice.source,
      callback_logs: callbackLogs(invoice),
    },
    relationships: serviceRelationships(invoice, 'payment-service'),
    links: { self: `/api/payment-invoices/${invoice.id}` },
  };
}

/** The public API's flat shape (no `type`/`attributes`), as in the provider's public samples. */
export function paymentInvoicePublic(invoice: PaymentInvoice, baseUrl: string): Record<string, unknown> {
  const { currency } = invoice;
  return {
    id: invoice.id,
    serial_number: invoice.serial,
    created: unixSeconds(invoice.createdMs),
    test_mode: invoice.testMode,
    reference_id: invoice.referenceId,
    currency,
    amount: float(invoice.amountMinor, currency),
    payment_amount: float(invoice.amountMinor, currency),
    processed_amount: floatOrNull(invoice.processedAmountMinor, currency),
    refunded_amount: invoice.refundedMinor > 0n ? float(invoice.refundedMinor, currency) : null,
    description: invoice.description,
    has_return_url: invoice.returnUrl !== null || invoice.returnUrls !== null,
    status: invoice.status,
    resolution: invoice.resolution,
    service: invoice.service.code,
    service_method: invoice.service.method,
    service_flow: invoice.service.flow,
    service_currency: invoice.service.currency,
    metadata: invoice.metadata,
    hpp_url: hppUrl(invoice, baseUrl),
    active_payment: {
      payload: flowData(invoice, baseUrl),
      status: invoice.status,
      resolution: invoice.resolution,
    },
  };
}

// --- refunds -----------------------------------------------------------------------------------

export function refundResource(refund: Refund): Record<string, unknown> {
  return {
    type: 'refunds',
    id: refund.id,
    attributes: {
      reference_id: refund.referenceId,
      original_id: refund.invoiceId,
      description: refund.description,
      status: refund.status,
      amount: float(refund.amountMinor, refund.currency),
      fee: float(refund.feeMinor, refund.currency),
      currency: refund.currency,
      created: unixSeconds(refund.createdMs),
    },
  };
}

// --- payout invoices ---------------------------------------------------------------------------

export function payoutInvoiceResource(payout: PayoutInvoice): Record<string, unknown> {
  const { currency } = payout;
  return {
    type: 'payout-invoices',
    id: payout.id,
    attributes: {
      serial_number: payout.serial,
      status: payout.status,
      resolution: payout.resolution,
      amount: float(payout.amountMinor, currency),
      currency,
      service: payout.service.code,
      service_method: payout.service.method,
      service_currency: payout.service.currency,
      reference_id: payout.referenceId,
      test_mode: payout.testMode,
      fee: float(payout.feeMinor, currency),
      processed: secondsOrNull(payout.processedMs),
      processed_amount: floatOrNull(payout.processedAmountMinor, currency),
      processed_fee: isProcessed(payout) ? float(payout.feeMinor, currency) : null,
      options: { auto_process: payout.autoProcess },
      service_fields: payout.serviceFields,
      token: payout.token,
      payload: paymentCard(payout),
      metadata: payout.metadata,
      description: payout.description,
      callback_url: payout.callbackUrl,
      rrn: payout.rrn,
      created: unixSeconds(payout.createdMs),
      updated: unixSeconds(payout.updatedMs),
      callback_logs: callbackLogs(payout),
    },
    relationships: serviceRelationships(payout, 'payout-service'),
    links: { self: `/api/payout-invoices/${payout.id}` },
  };
}

// --- services ----------------------------------------------------------------------------------

export function paymentServiceResource(
  service: ServiceDefinition,
  accountCurrency: string,
  testMode: boolean,
): Record<string, unknown> {
  return {
    type: 'payment-services',
    id: service.id,
    attributes: {
      service: service.code,
      service_method: service.method,
      service_currency: service.currency,
      available: true,
      active: true,
      enabled: true,
      amount_min: float(service.amountMinMinor, service.currency),
      amount_max: float(service.amountMaxMinor, service.currency),
      fee_min: 0,
      fee_max: 0,
      fee_rate: service.feeRateBp / 100,
      fee_fix: 0,
      reserve_lifetime: 0,
      reserve_rate: 0,
      currency: accountCurrency,
      test_mode: testMode,
    },
    relationships: {
      'payment-method': { data: { type: 'payment-methods', id: service.method } },
      'payment-service': { data: { type: 'payment-services', id: service.code } },
    },
    links: { self: `/api/payment-services/${service.id}` },
  };
}

/** One entry of the pre-request's `services` map. */
export function prerequestService(service: ServiceDefinition): Record<string, unknown> {
  return {
    code: service.code,
    method: service.method,
    flow: service.flow,
    currency: service.currency,
    fields: service.fields.map((field, position) => ({
      key: field.key,
      type: field.type,
      label: { en: field.label },
      example: null,
      hint: { en: field.hint },
      regexp: field.regexp,
      required: field.required,
      position,
    })),
    amount_min: float(service.amountMinMinor, service.currency),
    amount_max: float(service.amountMaxMinor, service.currency),
  };
}

export function prerequestMethod(method: ServiceDefinition['method']): Record<string, unknown> {
  const info = paymentMethods[method];
  return {
    code: info.code,
    category: info.category,
    description: '',
    name: { en: info.name },
    logo: null,
    icon: null,
    metadata: null,
    position: null,
    hide: null,
  };
}
