/**
 * The JSON shapes Payment Book answers with, field for field as payment-book-api.txt shows them. The
 * provider is not consistent across endpoints (create answers amounts with 8 decimals, status with the
 * currency's, recurring cancel and refund use older serializers with float amounts and ISO dates), and
 * the sandbox keeps those differences because the adapter has to cope with them.
 */
import { minorToDecimal } from '@paydesk/domain';
import { isoMicros, sqlTime } from './catalog.ts';
import type { PaymentBookEngine, PbCustomer, PbOperation, PbTransaction } from './engine.ts';

const merchantId = 1;
const serviceCreatedAt = Date.UTC(2026, 0, 9, 21, 2, 57);

function money(amountMinor: bigint, currency: string, decimals?: number): string {
  return minorToDecimal(amountMinor, currency, decimals);
}

function float(amountMinor: bigint, currency: string): number {
  return Number(minorToDecimal(amountMinor, currency));
}

export function presentService(engine: PaymentBookEngine, serviceId: number): Record<string, unknown> {
  const base = engine.ctx.baseUrl('payment-book');
  return {
    id: serviceId,
    name: `Sandbox service ${serviceId}`,
    slug: `sandbox-service-${serviceId}`,
    user_id: 1,
    merchant_id: merchantId,
    url: `${base}/merchant`,
    redirect_success: `${base}/payment/result/{ulid}`,
    redirect_fail: `${base}/payment/result/{ulid}`,
    redirect_return: `${base}/payment/result/{ulid}`,
    request_expiration: Math.round(engine.ctx.lifecycle.expireAfterMs / 1000),
    timezone: 'Europe/Riga',
    logo: '',
    favicon: '',
    currency: 'EUR',
    type: 'ecommerce',
    status: 'active',
    params: {
      mailing: {
        payment_receipt: true,
        payout_receipt: true,
        transaction_created: true,
        transaction_receipt: true,
        subscription_receipt: true,
      },
      notifier: { telegram: [] },
      payment_method: { default_alias: null },
    },
    fee_group: 'default',
    fee_cost: '0.30',
    transactions_count: engine.transactionsCount(serviceId),
    created_at: sqlTime(serviceCreatedAt),
    updated_at: sqlTime(serviceCreatedAt),
    webhooks: [],
  };
}

function presentCustomer(customer: PbCustomer | undefined): Record<string, unknown> | null {
  if (!customer) return null;
  return {
    id: customer.id,
    service_id: customer.serviceId,
    email: customer.email,
    first_name: customer.firstName,
    last_name: customer.lastName,
    phone: customer.phone,
    day_of_birth: customer.dayOfBirth ? `${customer.dayOfBirth}T00:00:00.000000Z` : null,
    country: customer.country,
    address: customer.address,
    city: customer.city,
    zip: customer.zip,
    language: customer.language,
    created_at: sqlTime(customer.createdAt),
    updated_at: sqlTime(customer.createdAt),
  };
}

export function presentOperation(
  transaction: PbTransaction,
  operation: PbOperation,
): Record<string, unknown> {
  return {
    id: operation.id,
    ulid: operation.ulid,
    transaction_id: transaction.id,
    transaction_reference_id: transaction.referenceId,
    customer_id: transaction.customerId,
    merchant_id: merchantId,
    service_id: transaction.serviceId,
    payment_method_id: operation.paymentMethodId,
    payment_method_reference_id: operation.paymentMethodReferenceId,
    direction: operation.direction,
    amount: money(operation.amountMinor, transaction.currency),
    currency: transaction.currency,
    fee_group: 'default',
    fee: money(operation.feeMinor, transaction.currency),
    total_fee: float(operation.feeMinor, transaction.currency),
    request: operation.request,
    metadata: operation.metadata,
    errors: operation.errors,
    code: operation.code,
    message: operation.message,
    type: operation.type,
    status: operation.status,
    confirmed_at: operation.confirmedAt === null ? null : sqlTime(operation.confirmedAt),
    created_at: sqlTime(operation.createdAt),
    updated_at: sqlTime(operation.updatedAt),
  };
}

/** POST api/transaction/status. */
export function presentTransaction(
  engine: PaymentBookEngine,
  transaction: PbTransaction,
): Record<string, unknown> {
  return {
    id: transaction.id,
    ulid: transaction.ulid,
    reference_id: transaction.referenceId,
    service_id: transaction.serviceId,
    merchant_id: merchantId,
    customer_id: transaction.customerId,
    cost: money(transaction.costMinor, transaction.currency),
    unified_error_message: transaction.unifiedMessage ?? '',
    unified_error_code: transaction.unifiedCode ?? 0,
    amount: money(transaction.amountMinor, transaction.currency),
    currency: transaction.currency,
    type: transaction.type,
    status: transaction.status,
    request: transaction.request,
    metadata: transaction.metadata,
    updated_at: sqlTime(transaction.updatedAt),
    created_at: sqlTime(transaction.createdAt),
    deleted_at: null,
    service: presentService(engine, transaction.serviceId),
    customer: presentCustomer(engine.customer(transaction.customerId)),
    operations: transaction.operations.map((operation) => presentOperation(transaction, operation)),
  };
}

/** The `transaction.status` webhook's transaction, in the documented key order. */
export function presentWebhookData(
  engine: PaymentBookEngine,
  transaction: PbTransaction,
): Record<string, unknown> {
  return {
    id: transaction.id,
    cost: money(transaction.costMinor, transaction.currency),
    type: transaction.type,
    ulid: transaction.ulid,
    amount: money(transaction.amountMinor, transaction.currency),
    currency: transaction.currency,
    status: transaction.status,
    request: transaction.request,
    reference_id: transaction.referenceId,
    service_id: transaction.serviceId,
    updated_at: sqlTime(transaction.updatedAt),
    customer_id: transaction.customerId,
    merchant_id: merchantId,
    redirect_url: transaction.type === 'withdrawal' ? null : engine.paymentUrl(transaction),
    unified_error_code: transaction.unifiedCode ?? 0,
    unified_error_message: transaction.unifiedMessage ?? '',
    metadata: transaction.metadata,
    created_at: sqlTime(transaction.createdAt),
    service: presentService(engine, transaction.serviceId),
    operations: transaction.operations.map((operation) => presentOperation(transaction, operation)),
  };
}

/** purchase/create and recurring/create: amounts with 8 decimals, empty `request` and `metadata`. */
export function presentCreated(
  engine: PaymentBookEngine,
  transaction: PbTransaction,
): Record<string, unknown> {
  return {
    redirect_url: engine.paymentUrl(transaction),
    id: transaction.id,
    ulid: transaction.ulid,
    reference_id: transaction.referenceId,
    service_id: transaction.serviceId,
    merchant_id: merchantId,
    customer_id: transaction.customerId,
    cost: money(transaction.costMinor, transaction.currency, 8),
    unified_error_message: null,
    unified_error_code: null,
    amount: money(transaction.amountMinor, transaction.currency, 8),
    currency: transaction.currency,
    type: transaction.type,
    status: transaction.status,
    request: [],
    metadata: [],
    updated_at: sqlTime(transaction.updatedAt),
    created_at: sqlTime(transaction.createdAt),
    deleted_at: null,
  };
}

/** recurring/cancel: the older serializer, with float amounts, `uuid` and ISO dates. */
export function presentCancelling(
  engine: PaymentBookEngine,
  transaction: PbTransaction,
): Record<string, unknown> {
  const service = presentService(engine, transaction.serviceId);
  return {
    id: transaction.id,
    reference_id: transaction.referenceId,
    uuid: transaction.ulid,
    service_id: transaction.serviceId,
    merchant_id: merchantId,
    cost_type: 'in',
    unified_error_message: transaction.unifiedMessage ?? '',
    unified_error_code: transaction.unifiedCode ?? 0,
    amount: float(transaction.amountMinor, transaction.currency),
    currency: transaction.currency,
    type: transaction.type,
    status: transaction.status,
    request: transaction.request,
    metadata: transaction.metadata,
    created_at: isoMicros(transaction.createdAt),
    updated_at: isoMicros(transaction.updatedAt),
    operations: transaction.operations.map((operation) => ({
      id: operation.id,
      payment_method_reference_id: operation.paymentMethodReferenceId,
      transaction_id: transaction.id,
      merchant_id: merchantId,
      service_id: transaction.serviceId,
      payment_method_id: operation.paymentMethodId,
      amount: float(operation.amountMinor, transaction.currency),
      currency: transaction.currency,
      total_fee: float(operation.feeMinor, transaction.currency),
      metadata: { subscription_data: [] },
      errors: operation.errors,
      code: operation.code,
      message: operation.message,
      type: operation.type,
      status: operation.status,
      confirmed_at: operation.confirmedAt === null ? null : sqlTime(operation.confirmedAt),
      created_at: isoMicros(operation.createdAt),
      updated_at: isoMicros(operation.updatedAt),
    })),
    service: {
      id: service.id,
      name: service.name,
      slug: service.slug,
      merchant_id: merchantId,
      payment_method_id: 1,
      url: service.url,
      redirect_success: service.redirect_success,
      redirect_fail: service.redirect_fail,
      redirect_return: service.redirect_return,
      request_expiration: service.request_expiration,
      currency: service.currency,
      type: service.type,
      status: service.status,
      params: null,
      created_at: isoMicros(serviceCreatedAt),
      updated_at: isoMicros(serviceCreatedAt),
      deleted_at: null,
      payment_system: {},
      merchant: {
        id: merchantId,
        name: 'Sandbox Merchant SIA',
        slug: 'sandbox-merchant',
        phone: '',
        email: '',
        bank_name: 'AS SANDBOX BANK',
        bank_swift: 'SANDLV22',
        bank_account: 'LV80SAND0000435195001',
        tax_id: 'LV40003000000',
        homepage: service.url,
        address: 'Brivibas iela 1, Riga, LV-1010',
        user_id: 1,
        status: 'verified',
        created_at: isoMicros(serviceCreatedAt),
        updated_at: isoMicros(serviceCreatedAt),
        deleted_at: null,
      },
    },
  };
}

/** transaction/refund: "Status: success" and the refund operation with its parent, older serializer. */
export function presentRefund(transaction: PbTransaction, operation: PbOperation): Record<string, unknown> {
  return {
    message: `Status: ${operation.status}`,
    operation: {
      id: operation.id,
      ulid: operation.ulid,
      reference_id: operation.ulid,
      transaction_id: transaction.id,
      user_profile_id: transaction.customerId,
      merchant_id: merchantId,
      tariff_group: 'default',
      currency: transaction.currency,
      amount: money(operation.amountMinor, transaction.currency),
      fee: money(operation.feeMinor, transaction.currency, 8),
      direction: operation.direction,
      action: 'refund',
      type: operation.type,
      service: 'payment_gateway',
      service_id: transaction.serviceId,
      service_reference_id: transaction.ulid,
      metadata: operation.metadata,
      errors: operation.errors,
      message: operation.message,
      code: operation.code,
      status: operation.status,
      confirmed_at: operation.confirmedAt === null ? null : sqlTime(operation.confirmedAt),
      created_at: isoMicros(operation.createdAt),
      updated_at: isoMicros(operation.updatedAt),
      transaction: {
        id: transaction.id,
        ulid: transaction.ulid,
        reference_id: transaction.referenceId,
        merchant_id: merchantId,
        type: transaction.type,
        unified_error_message: transaction.unifiedMessage ?? '',
        request: transaction.request,
        amount: money(transaction.amountMinor, transaction.currency),
        refunded_amount: money(transaction.refundedMinor, transaction.currency),
        currency: transaction.currency,
        status: transaction.status,
        created_at: isoMicros(transaction.createdAt),
        updated_at: isoMicros(transaction.updatedAt),
      },
    },
  };
}
