import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors.ts';
import {
  amountToMinor,
  cardFromMask,
  kindOf,
  maskCardText,
  normalizeRefund,
  normalizeTransaction,
  operationStatusOf,
  parseProviderTime,
  redact,
  refundStatusOf,
  transactionStatusOf,
} from './normalize.ts';
import { operationStatuses, transactionStatuses } from './schemas.ts';
import { fixture } from './test-server.ts';

function data(name: string): Record<string, unknown> {
  return (JSON.parse(fixture(name)) as { data: Record<string, unknown> }).data;
}

function schemaErrorOf(run: () => unknown): ProviderError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('schema');
    return error as ProviderError;
  }
  throw new Error('expected a schema error');
}

describe('statuses', () => {
  it('maps every documented transaction status, none to unknown', () => {
    const mapped = Object.fromEntries(
      transactionStatuses.map((status) => [status, transactionStatusOf(status)]),
    );
    expect(mapped).toEqual({
      created: 'created',
      processing: 'processing',
      success: 'succeeded',
      refunded: 'refunded',
      partially_refunded: 'partially_refunded',
      failed: 'failed',
      expired: 'expired',
      active: 'active',
      canceled: 'cancelled',
    });
  });

  it('reads failed with unified code 100 as declined, but not the customer cancelling', () => {
    expect(transactionStatusOf('failed', '100', 'General decline.')).toBe('declined');
    expect(transactionStatusOf('failed', '100', 'Cancelled by user.')).toBe('failed');
    expect(transactionStatusOf('failed', '330', 'Gate timeout.')).toBe('failed');
    expect(transactionStatusOf('success', '100')).toBe('succeeded');
  });

  it('maps every documented operation status, partial_success to failed, none to unknown', () => {
    const mapped = Object.fromEntries(operationStatuses.map((status) => [status, operationStatusOf(status)]));
    expect(mapped).toEqual({
      created: 'pending',
      awaiting_confirmation: 'pending',
      processing: 'processing',
      external_processing: 'processing',
      success: 'succeeded',
      partial_success: 'failed',
      expired: 'expired',
      failed: 'failed',
      cancelled: 'cancelled',
    });
  });

  it('keeps the enums open: unknown values become unknown, either cancel spelling is read', () => {
    expect(transactionStatusOf('on_hold')).toBe('unknown');
    expect(operationStatusOf('on_hold')).toBe('unknown');
    expect(transactionStatusOf('cancelled')).toBe('cancelled');
    expect(operationStatusOf('canceled')).toBe('cancelled');
  });

  it('derives refund statuses from the refund operation', () => {
    expect(refundStatusOf('success')).toBe('succeeded');
    expect(refundStatusOf('processing')).toBe('pending');
    expect(refundStatusOf('awaiting_confirmation')).toBe('pending');
    expect(refundStatusOf('partial_success')).toBe('failed');
    expect(refundStatusOf('cancelled')).toBe('failed');
    expect(refundStatusOf('mystery')).toBe('unknown');
  });

  it('maps transaction types to kinds, reading older type names by their direction', () => {
    expect(kindOf('purchase')).toBe('payment');
    expect(kindOf('withdrawal')).toBe('payout');
    expect(kindOf('recurring')).toBe('subscription');
    expect(kindOf('in_by_payment_gateway')).toBe('payment');
    expect(kindOf('out_to_bank')).toBe('payout');
    expect(kindOf('mystery', [{ type: 'subscription' }])).toBe('subscription');
  });
});

describe('amounts', () => {
  it('converts decimal strings of up to 8 decimals and JSON floats exactly', () => {
    expect(amountToMinor('100.00', 'EUR', 'amount')).toBe(10000n);
    expect(amountToMinor('10.00000000', 'EUR', 'amount')).toBe(1000n);
    expect(amountToMinor('1.50000000', 'KWD', 'amount')).toBe(1500n);
    expect(amountToMinor('1200', 'JPY', 'amount')).toBe(1200n);
    expect(amountToMinor(12.32, 'EUR', 'amount')).toBe(1232n);
    expect(amountToMinor(0, 'EUR', 'total_fee')).toBe(0n);
  });

  it('refuses inexact amounts with a schema error instead of rounding', () => {
    schemaErrorOf(() => amountToMinor('10.005', 'EUR', 'amount'));
    schemaErrorOf(() => amountToMinor('10.000000001', 'EUR', 'amount'));
    schemaErrorOf(() => amountToMinor('1.000000000', 'EUR', 'amount'));
    schemaErrorOf(() => amountToMinor('12.5', 'JPY', 'amount'));
    schemaErrorOf(() => amountToMinor('1e3', 'EUR', 'amount'));
    schemaErrorOf(() => amountToMinor('', 'EUR', 'amount'));
    schemaErrorOf(() => amountToMinor(0.1 + 0.2, 'EUR', 'amount'));
  });

  it('refuses a transaction whose amount or currency cannot be represented', () => {
    const transaction = data('status-open-banking-success.json');
    expect(
      schemaErrorOf(() => normalizeTransaction({ ...transaction, amount: '100.001' })).message,
    ).toContain('amount');
    expect(schemaErrorOf(() => normalizeTransaction({ ...transaction, currency: 'XBT' })).message).toContain(
      'XBT',
    );
    schemaErrorOf(() => normalizeTransaction({ ...transaction, status: undefined }));
    schemaErrorOf(() => normalizeTransaction({ ...transaction, ulid: undefined }));
  });
});

describe('normalizeTransaction', () => {
  it('reads the documented status answer (open banking purchase)', () => {
    const transaction = normalizeTransaction(data('status-open-banking-success.json'));
    expect(transaction).toMatchObject({
      provider: 'payment-book',
      providerId: '01KS8KBXCEXY26RFKA99BQ23A0',
      reference: 'PIx38sKzZTwLqnYI2Z8W',
      kind: 'payment',
      status: 'succeeded',
      rawStatus: 'success',
      amount: { amountMinor: 10000n, currency: 'EUR' },
      fee: { amountMinor: 30n, currency: 'EUR' },
      refundedMinor: 0n,
      customer: { email: 'linda.williams@example.com', name: 'Jane Doe' },
      method: 'open_banking',
      createdAt: new Date('2026-05-22T19:42:31Z'),
      updatedAt: new Date('2026-05-22T19:55:44Z'),
    });
    expect(transaction.card).toBeUndefined();
    expect(transaction.declineCode).toBeUndefined();
    expect(transaction.actionUrl).toBeUndefined();
    expect(transaction.operations).toEqual([
      {
        providerId: '01KS8KBXCYQ25ZB8CNCD0D3C23',
        type: 'payment',
        status: 'succeeded',
        rawStatus: 'success',
        amount: { amountMinor: 10030n, currency: 'EUR' },
        fee: { amountMinor: 211n, currency: 'EUR' },
        createdAt: new Date('2026-05-22T19:42:31Z'),
        updatedAt: new Date('2026-05-22T19:55:38Z'),
      },
    ]);
    expect(JSON.stringify(transaction.raw)).not.toContain('signature');
  });

  it('reads a card purchase with refunds: refunded amount from successful refund operations only', () => {
    const transaction = normalizeTransaction(data('status-card-partially-refunded.json'));
    expect(transaction).toMatchObject({
      status: 'partially_refunded',
      refundedMinor: 3000n,
      card: { bin: '411111', last4: '1111', brand: 'visa' },
      method: 'card',
      customer: { email: 'anna.berzina@example.lv', name: 'Anna Bērziņa' },
    });
    expect(transaction.operations.map((operation) => [operation.type, operation.status])).toEqual([
      ['payment', 'succeeded'],
      ['refund', 'succeeded'],
      ['refund', 'failed'],
    ]);
    expect(transaction.operations[2]).toMatchObject({
      declineCode: '28108',
      declineMessage: 'Wrong gate status: error.',
    });
    // The transaction's unified code is 0: no decline on the transaction itself.
    expect(transaction.declineCode).toBeUndefined();
  });

  it('strips secrets, card tokens, nonces and card numbers from raw and metadata', () => {
    const transaction = normalizeTransaction(data('status-card-partially-refunded.json'));
    const raw = JSON.stringify(transaction.raw);
    for (const secret of [
      'signature',
      'ctok_',
      'fd94fb20',
      'payment_method_nonce',
      'token_name',
      '"cvv"',
      '4111 1111 1111 1111',
      '4111111111111111',
    ]) {
      expect(raw).not.toContain(secret);
    }
    expect(raw).toContain('411111******1111');
    expect(raw).toContain('4111 11** **** 1111');
    expect(raw).toContain('paid with 411111******1111 at the desk');
    // What is not a secret stays: the customer and the webhook URL.
    expect(raw).toContain('anna.berzina@example.lv');
    expect(raw).toContain('https://paydesk.example/webhooks/payment-book/8f3c');
  });

  it('reads a failed withdrawal as a declined payout with its unified and operation codes', () => {
    const transaction = normalizeTransaction(data('status-withdrawal-declined.json'));
    expect(transaction).toMatchObject({
      kind: 'payout',
      status: 'declined',
      rawStatus: 'failed',
      amount: { amountMinor: 250000n, currency: 'EUR' },
      declineCode: '100',
      declineMessage: 'General decline.',
      customer: {},
    });
    expect(transaction.operations[0]).toMatchObject({
      type: 'payout',
      status: 'failed',
      fee: { amountMinor: 30n },
      declineCode: '28102',
      declineMessage: "Don't have enough available balance.",
    });
  });

  it('falls back to the last failed operation when a failed transaction has no unified code', () => {
    const transaction = data('status-withdrawal-declined.json');
    const normalized = normalizeTransaction({
      ...transaction,
      unified_error_code: 0,
      unified_error_message: '',
    });
    expect(normalized).toMatchObject({ status: 'failed', declineCode: '28102' });
  });

  it('reads an active subscription with its charges and card', () => {
    const transaction = normalizeTransaction(data('status-recurring-active.json'));
    expect(transaction).toMatchObject({
      kind: 'subscription',
      status: 'active',
      amount: { amountMinor: 999n },
      card: { bin: '555555', last4: '4444', brand: 'mastercard' },
      customer: { email: 'janis.ozols@example.lv', name: 'Jānis Ozols' },
    });
    expect(transaction.operations.map((operation) => operation.type)).toEqual([
      'subscription',
      'subscription',
    ]);
    expect(transaction.metadata).toMatchObject({ days_cycle: 30 });
  });

  it('reads an operation awaiting 3-D Secure as action_required with where to go', () => {
    const transaction = normalizeTransaction(data('status-awaiting-confirmation.json'));
    expect(transaction).toMatchObject({
      status: 'action_required',
      rawStatus: 'processing',
      actionUrl: 'https://payment-book.com/payment/3ds/01KS9V3B5D6E7F8G9H0J1K2M3N',
      card: { bin: '400000', last4: '0002', brand: 'visa' },
    });
    expect(transaction.operations[0]).toMatchObject({
      status: 'pending',
      rawStatus: 'awaiting_confirmation',
    });
  });

  it('reads the create answer: 8-decimal amounts, the hosted page as the action', () => {
    const transaction = normalizeTransaction(data('purchase-create.json'));
    expect(transaction).toMatchObject({
      providerId: '0a553d60-8228-422c-b535-b1cabb6d34ea',
      reference: 'ref-123',
      status: 'created',
      amount: { amountMinor: 1000n },
      fee: { amountMinor: 1000n },
      actionUrl: 'https://payment-book.com/payment/purchase/0a553d60-8228-422c-b535-b1cabb6d34ea',
      operations: [],
      createdAt: new Date('2024-11-13T11:18:09Z'),
    });
    expect(transaction.declineCode).toBeUndefined();
  });

  it('reads recurring cancel: the older serializer with uuid, float amounts and a processor code', () => {
    const transaction = normalizeTransaction(data('recurring-cancel.json'));
    expect(transaction).toMatchObject({
      providerId: 'ff6bcd26-9e70-40fd-a3aa-80c8586193d1',
      reference: '1111122222222',
      kind: 'subscription',
      status: 'processing',
      amount: { amountMinor: 1232n, currency: 'EUR' },
      declineCode: '93107',
      declineMessage: 'Cannot use a payment_method_nonce more than once.',
      customer: { email: 'maksimsge@gmail.com', name: 'max test' },
      method: 'card',
      createdAt: new Date('2024-10-19T21:24:12Z'),
    });
    expect(transaction.card).toBeUndefined();
    expect(transaction.operations).toEqual([
      expect.objectContaining({
        providerId: '17',
        type: 'subscription',
        status: 'processing',
        amount: { amountMinor: 1232n, currency: 'EUR' },
        fee: { amountMinor: 0n, currency: 'EUR' },
        declineCode: '93107',
      }),
    ]);
    const raw = JSON.stringify(transaction.raw);
    expect(raw).not.toContain('FbTUZFk');
    expect(raw).not.toContain('fd94fb20-04ae-1814-105b-116978b6bcff');
    // The reference 1111122222222 is 13 digits but no card number: it stays.
    expect(raw).toContain('"reference_id":"1111122222222"');
  });

  it('reads the documented webhook transaction', () => {
    const body = JSON.parse(fixture('webhook-transaction-status.json')) as { data: unknown };
    const transaction = normalizeTransaction(body.data);
    expect(transaction).toMatchObject({
      providerId: '494d7969-3d84-49c3-812b-2fbbc1944e4a',
      reference: 'payment-unique-id',
      status: 'created',
      fee: { amountMinor: 54n },
      actionUrl: 'https://service.domain/payment/494d7969-3d84-49c3-812b-2fbbc1944e4a',
      operations: [
        expect.objectContaining({
          providerId: '1496ddaa-3f8e-4bdb-baea-cab587582466',
          status: 'pending',
          amount: { amountMinor: 10054n, currency: 'EUR' },
          fee: { amountMinor: 284n, currency: 'EUR' },
        }),
      ],
    });
  });

  it('takes the reference from the caller or the echoed request when the object has none', () => {
    const transaction = data('recurring-cancel.json');
    expect(normalizeTransaction({ ...transaction, reference_id: undefined }).reference).toBe('1111122222222');
    const bare = { ...transaction, reference_id: undefined, request: [] };
    expect(normalizeTransaction(bare, { reference: 'sub-1' }).reference).toBe('sub-1');
    schemaErrorOf(() => normalizeTransaction(bare));
  });
});

describe('normalizeRefund', () => {
  it('reads the documented refund answer (operation without ulid or type, 8-decimal fee)', () => {
    const answer = data('refund.json');
    expect(normalizeRefund(answer, { reference: 'refund-1', currency: 'EUR' })).toEqual({
      providerId: 'aac00f57-b30b-4acd-9ba9-cc43a3c4e808',
      reference: 'refund-1',
      status: 'succeeded',
      rawStatus: 'success',
      amount: { amountMinor: 10396n, currency: 'EUR' },
      fee: { amountMinor: 100n, currency: 'EUR' },
    });
  });

  it('refuses an answer without an operation', () => {
    schemaErrorOf(() => normalizeRefund({ message: 'Status: success' }, { reference: 'r', currency: 'EUR' }));
  });
});

describe('cards and redaction', () => {
  it('keeps BIN, last four and brand only, whatever the mask shows', () => {
    expect(cardFromMask('411111******1111', 'VISA')).toEqual({ bin: '411111', last4: '1111', brand: 'visa' });
    expect(cardFromMask('4111111111111111', undefined)).toEqual({ bin: '411111', last4: '1111' });
    expect(cardFromMask('************4444', 'mastercard')).toEqual({ last4: '4444', brand: 'mastercard' });
    expect(cardFromMask(undefined, undefined)).toBeUndefined();
  });

  it('masks all but the first six and last four digits', () => {
    expect(maskCardText('4111111111111111')).toBe('411111******1111');
    expect(maskCardText('41111111****1111')).toBe('411111******1111');
    expect(maskCardText('5555 5555 5555 4444')).toBe('5555 55** **** 4444');
  });

  it('masks card numbers anywhere but leaves ids, phones and references alone', () => {
    expect(
      redact({
        a: 'card 4242424242424242 used',
        mask: '424242424242****',
        id: '1111122222222',
        phone: '+37127776222',
        ulid: '01KS8KBXCYQ25ZB8CNCD0D3C23',
        list: [{ api_key: 'x', value: 1 }],
      }),
    ).toEqual({
      a: 'card 424242******4242 used',
      mask: '424242**4242****',
      id: '1111122222222',
      phone: '+37127776222',
      ulid: '01KS8KBXCYQ25ZB8CNCD0D3C23',
      list: [{ value: 1 }],
    });
  });

  it('reads both timestamp forms as UTC and ignores garbage', () => {
    expect(parseProviderTime('2024-11-13 11:18:09')).toEqual(new Date('2024-11-13T11:18:09Z'));
    expect(parseProviderTime('2024-10-19T21:24:12.000000Z')).toEqual(new Date('2024-10-19T21:24:12Z'));
    expect(parseProviderTime('2024-09-10T00:30:23+03:00')).toEqual(new Date('2024-09-09T21:30:23Z'));
    expect(parseProviderTime('ERR')).toBeUndefined();
    expect(parseProviderTime(null)).toBeUndefined();
  });
});
