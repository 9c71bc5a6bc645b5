import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGateWebhook } from './webhooks.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const recorded = readFileSync(new URL('./__fixtures__/webhook-hint.json', import.meta.url));

describe('parseGateWebhook', () => {
  it('takes only the referenceId, and asks for a look-up', () => {
    const result = parseGateWebhook(recorded);
    expect(result).toEqual({
      verified: true,
      eventId: expect.stringMatching(/^gate:order-7781:[0-9a-f]{32}$/) as string,
      reference: 'order-7781',
      providerId: 'order-7781',
      lookupRequired: true,
    });
    // Nothing else of an unsigned body is believed.
    expect(result).not.toHaveProperty('transaction');
  });

  it('gives repeated deliveries one event id, and a new state of the same payment another', () => {
    const first = parseGateWebhook(recorded);
    const again = parseGateWebhook(new Uint8Array(recorded));
    const later = parseGateWebhook(bytes(recorded.toString('utf8').replace('"pending"', '"success"')));
    expect(first.verified && again.verified && later.verified).toBe(true);
    if (first.verified && again.verified && later.verified) {
      expect(again.eventId).toBe(first.eventId);
      expect(later.eventId).not.toBe(first.eventId);
    }
  });

  it.each([
    ['an empty body', bytes(''), 'malformed'],
    ['text that is not JSON', bytes('referenceId=order-1'), 'malformed'],
    ['bytes that are not UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'malformed'],
    ['JSON without a referenceId', bytes('{"status":"success"}'), 'unknown_shape'],
    ['a referenceId that is not a string', bytes('{"referenceId":42}'), 'unknown_shape'],
    ['a JSON list', bytes('[{"referenceId":"a"}]'), 'unknown_shape'],
    ['an empty referenceId', bytes('{"referenceId":"  "}'), 'malformed'],
    ['a referenceId with control characters', bytes('{"referenceId":"a\\nb"}'), 'malformed'],
    [
      'a referenceId longer than Gate allows',
      bytes(JSON.stringify({ referenceId: 'x'.repeat(129) })),
      'malformed',
    ],
  ])('refuses %s', (_label, body, reason) => {
    expect(parseGateWebhook(body)).toMatchObject({ verified: false, reason });
  });
});
