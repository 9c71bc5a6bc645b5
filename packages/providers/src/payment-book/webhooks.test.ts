import { describe, expect, it } from 'vitest';
import type { WebhookResult } from '../adapter.ts';
import { signBody } from './signature.ts';
import { fixture } from './test-server.ts';
import { parsePaymentBookWebhook, webhookEventId } from './webhooks.ts';

const secret = 'test-secret';
const bytes = (text: string) => new TextEncoder().encode(text);

function verified(result: WebhookResult): Extract<WebhookResult, { verified: true }> {
  if (!result.verified)
    throw new Error(`expected a verified webhook, got ${result.reason}: ${result.detail}`);
  return result;
}

describe('parsePaymentBookWebhook', () => {
  it('verifies the README body on its raw bytes, and refuses it once total_fee 0 becomes 0.0', () => {
    const raw = fixture('webhook-readme-signed.json');
    const result = verified(parsePaymentBookWebhook(bytes(raw), { secret, serviceId: 11 }));
    expect(result).toMatchObject({
      reference: 'payment-unique-id',
      providerId: '494d7969-3d84-49c3-812b-2fbbc1944e4a',
      lookupRequired: false,
      transaction: {
        status: 'succeeded',
        amount: { amountMinor: 10000n, currency: 'EUR' },
        fee: { amountMinor: 54n },
        operations: [
          expect.objectContaining({ providerId: '20', fee: { amountMinor: 0n, currency: 'EUR' } }),
        ],
      },
    });
    const tampered = raw.replace('"total_fee":0,', '"total_fee":0.0,');
    expect(tampered).not.toBe(raw);
    expect(JSON.parse(tampered)).toEqual(JSON.parse(raw));
    expect(parsePaymentBookWebhook(bytes(tampered), { secret })).toMatchObject({
      verified: false,
      reason: 'bad_signature',
    });
  });

  it('accepts the documented shape with the transaction under data', () => {
    const body = signBody(fixture('webhook-transaction-status.json'), secret);
    const result = verified(parsePaymentBookWebhook(bytes(body), { secret, serviceId: 11 }));
    expect(result.transaction).toMatchObject({ status: 'created', reference: 'payment-unique-id' });
    expect(result.eventId).toMatch(
      /^payment-book:494d7969-3d84-49c3-812b-2fbbc1944e4a:created:[0-9a-f]{16}$/,
    );
  });

  it("accepts the shop plugin's shape with the transaction under transaction", () => {
    const body = signBody(fixture('webhook-shop-plugin.json'), secret);
    const result = verified(parsePaymentBookWebhook(bytes(body), { secret }));
    expect(result.transaction).toMatchObject({
      providerId: '494d7969-3d84-49c3-812b-2fbbc1944e4a',
      status: 'succeeded',
      operations: [expect.objectContaining({ status: 'succeeded' })],
    });
    expect(result.lookupRequired).toBe(false);
  });

  it('takes the operation.status event as a hint to look the transaction up', () => {
    const body = signBody(fixture('webhook-operation-status.json'), secret);
    expect(parsePaymentBookWebhook(bytes(body), { secret })).toEqual({
      verified: true,
      eventId: 'payment-book:operation:1496ddaa-3f8e-4bdb-baea-cab587582466:created',
      reference: 'payment-unique-id',
      lookupRequired: true,
    });
  });

  it('gives the same event id to a redelivery and a new one when an operation moves', () => {
    const transaction = (
      JSON.parse(fixture('webhook-transaction-status.json')) as { data: Record<string, unknown> }
    ).data;
    const operations = transaction.operations as Record<string, unknown>[];
    const first = webhookEventId(transaction);
    expect(webhookEventId(structuredClone(transaction))).toBe(first);
    const moved = { ...transaction, operations: [{ ...operations[0], status: 'processing' }] };
    expect(webhookEventId(moved)).not.toBe(first);
    expect(webhookEventId({ ...transaction, status: 'processing' })).not.toBe(first);
  });

  it('rejects a missing signature, a wrong one, another service, garbage and unknown shapes', () => {
    const unsigned = fixture('webhook-transaction-status.json').replace(
      '"signature": "request-signature-hash-with-service-secret_key",',
      '',
    );
    expect(parsePaymentBookWebhook(bytes(unsigned), { secret })).toMatchObject({
      reason: 'missing_signature',
    });
    expect(parsePaymentBookWebhook(bytes('{"data":{}}'), { secret })).toMatchObject({
      reason: 'missing_signature',
    });
    expect(
      parsePaymentBookWebhook(bytes(fixture('webhook-transaction-status.json')), { secret }),
    ).toMatchObject({
      reason: 'bad_signature',
    });
    const signed = signBody(fixture('webhook-transaction-status.json'), secret);
    expect(parsePaymentBookWebhook(bytes(signed), { secret: 'other' })).toMatchObject({
      reason: 'bad_signature',
    });
    expect(parsePaymentBookWebhook(bytes(signed), { secret, serviceId: 9 })).toMatchObject({
      reason: 'bad_signature',
      detail: 'the webhook is for service 11, not 9',
    });
    expect(parsePaymentBookWebhook(bytes('{"meta":'), { secret })).toMatchObject({ reason: 'malformed' });
    expect(parsePaymentBookWebhook(bytes('[1,2]'), { secret })).toMatchObject({ reason: 'malformed' });
    expect(parsePaymentBookWebhook(new Uint8Array([0x7b, 0xff, 0x7d]), { secret })).toMatchObject({
      reason: 'malformed',
    });
    const strange = signBody(
      '{"meta":{"reference_id":"r","service_id":11},"data":{"hello":"world"}}',
      secret,
    );
    expect(parsePaymentBookWebhook(bytes(strange), { secret })).toMatchObject({ reason: 'unknown_shape' });
  });

  it('rejects a signed transaction it cannot represent as malformed', () => {
    const body = fixture('webhook-transaction-status.json').replace(
      '"amount": "100.00"',
      '"amount": "100.001"',
    );
    expect(parsePaymentBookWebhook(bytes(signBody(body, secret)), { secret })).toMatchObject({
      verified: false,
      reason: 'malformed',
    });
  });
});
