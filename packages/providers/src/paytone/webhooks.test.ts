import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signCallback } from './signature.ts';
import { parsePaytoneCallback } from './webhooks.ts';

const secrets = { testSecretKey: 'sk_test_EXAMPLE', liveSecretKey: 'sk_live_EXAMPLE' };
const encode = (text: string) => new TextEncoder().encode(text);
const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

/** A callback as Paytone sends it: the invoice document, compact, signed for its test_mode. */
function callback(name: string, edit: (attributes: Record<string, unknown>) => void = () => undefined) {
  const document = JSON.parse(fixture(name)) as { data: { attributes: Record<string, unknown> } };
  edit(document.data.attributes);
  const body = JSON.stringify(document);
  const secret = document.data.attributes.test_mode === true ? secrets.testSecretKey : secrets.liveSecretKey;
  return { body, signature: signCallback(body, secret) };
}

describe('parsePaytoneCallback', () => {
  it('verifies a test-mode callback with the test secret and normalizes it', () => {
    const { body, signature } = callback('payment-invoice-processed.json');
    const result = parsePaytoneCallback(encode(body), { 'x-signature': signature }, secrets);
    expect(result).toMatchObject({
      verified: true,
      eventId: 'paytone:cpi_HeSWMM9LvQonCcQc:processed:1597833207',
      reference: '70d42236-2cc4-4e26-8f2f-987fd8fbc276',
      providerId: 'cpi_HeSWMM9LvQonCcQc',
      lookupRequired: false,
      transaction: { status: 'succeeded', card: { bin: '512381', last4: '0000' } },
    });
  });

  it('verifies a live callback with the live secret only', () => {
    const { body, signature } = callback('payment-invoice-included-customer.json');
    expect(parsePaytoneCallback(encode(body), { 'x-signature': signature }, secrets).verified).toBe(true);
    const swapped = { testSecretKey: secrets.liveSecretKey, liveSecretKey: secrets.testSecretKey };
    expect(parsePaytoneCallback(encode(body), { 'x-signature': signature }, swapped)).toMatchObject({
      verified: false,
      reason: 'bad_signature',
    });
  });

  it('cannot be switched to the other secret by flipping test_mode', () => {
    const { body, signature } = callback('payment-invoice-processed.json');
    const flipped = body.replace('"test_mode":true', '"test_mode":false');
    expect(parsePaytoneCallback(encode(flipped), { 'x-signature': signature }, secrets)).toMatchObject({
      verified: false,
      reason: 'bad_signature',
    });
  });

  it('gives each state of an invoice its own event id', () => {
    const first = callback('payment-invoice-processed.json');
    const later = callback('payment-invoice-processed.json', (attributes) => {
      attributes.status = 'refunded';
      attributes.refunded_amount = 100;
      attributes.updated = 1597900000;
    });
    const a = parsePaytoneCallback(encode(first.body), { 'x-signature': first.signature }, secrets);
    const b = parsePaytoneCallback(encode(later.body), { 'x-signature': later.signature }, secrets);
    const again = parsePaytoneCallback(encode(first.body), { 'x-signature': first.signature }, secrets);
    expect(a.verified && b.verified && again.verified).toBe(true);
    if (a.verified && b.verified && again.verified) {
      expect(b.eventId).toBe('paytone:cpi_HeSWMM9LvQonCcQc:refunded:1597900000');
      expect(again.eventId).toBe(a.eventId);
    }
  });

  it('verifies the documented vector (live secret when test_mode is absent), which is not a whole invoice', () => {
    const body = fixture('callback-vector.json');
    const vectorSecrets = { testSecretKey: 'unused', liveSecretKey: 'sk_test_EXAMPLE' };
    const result = parsePaytoneCallback(
      encode(body),
      { 'x-signature': 'uRoKcIoSY1OgP/GLMVPxJhKQPiA=' },
      vectorSecrets,
    );
    // The signature held; only then is the (incomplete) document refused.
    expect(result).toMatchObject({ verified: false, reason: 'unknown_shape' });
    const tampered = body.replace('100.5', '100.6');
    expect(
      parsePaytoneCallback(
        encode(tampered),
        { 'x-signature': 'uRoKcIoSY1OgP/GLMVPxJhKQPiA=' },
        vectorSecrets,
      ),
    ).toMatchObject({ verified: false, reason: 'bad_signature' });
  });

  it.each([
    ['no header', {}, 'missing_signature'],
    ['an empty header', { 'x-signature': '  ' }, 'missing_signature'],
    ['a garbage header', { 'x-signature': 'not-base64!' }, 'bad_signature'],
  ])('refuses %s', (_label, headers, reason) => {
    const { body } = callback('payment-invoice-processed.json');
    expect(parsePaytoneCallback(encode(body), headers, secrets)).toMatchObject({ verified: false, reason });
  });

  it('refuses a body changed after signing', () => {
    const { body, signature } = callback('payment-invoice-processed.json');
    const changed = body.replace('"amount":100', '"amount":1000');
    expect(parsePaytoneCallback(encode(changed), { 'x-signature': signature }, secrets)).toMatchObject({
      verified: false,
      reason: 'bad_signature',
    });
  });

  it.each([
    ['not JSON', encode('status=processed')],
    ['not UTF-8', new Uint8Array([0x7b, 0xc3, 0x28, 0x7d])],
  ])('refuses a body that is %s as malformed', (_label, body) => {
    expect(
      parsePaytoneCallback(body, { 'x-signature': 'uRoKcIoSY1OgP/GLMVPxJhKQPiA=' }, secrets),
    ).toMatchObject({
      verified: false,
      reason: 'malformed',
    });
  });

  it('refuses JSON that is not a JSON:API document as unknown_shape', () => {
    const body = '{"status":"processed"}';
    expect(
      parsePaytoneCallback(
        encode(body),
        { 'x-signature': signCallback(body, secrets.liveSecretKey) },
        secrets,
      ),
    ).toMatchObject({ verified: false, reason: 'unknown_shape' });
  });

  it('refuses a signed callback with an inexact amount as unknown_shape', () => {
    const { body, signature } = callback('payment-invoice-inexact-amount.json');
    expect(parsePaytoneCallback(encode(body), { 'x-signature': signature }, secrets)).toMatchObject({
      verified: false,
      reason: 'unknown_shape',
      detail: expect.stringMatching(/not an exact amount/) as string,
    });
  });

  it('refuses a signed refund document: callbacks are about invoices', () => {
    const body = fixture('refund.json');
    expect(
      parsePaytoneCallback(
        encode(body),
        { 'x-signature': signCallback(body, secrets.liveSecretKey) },
        secrets,
      ),
    ).toMatchObject({ verified: false, reason: 'unknown_shape' });
  });
});
