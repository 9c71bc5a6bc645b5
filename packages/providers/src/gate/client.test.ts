import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProviderErrorKind } from '../errors.ts';
import { isProviderError } from '../errors.ts';
import { decodeAnswer, gateErrorKind, readGateError } from './client.ts';
import { knownGateErrorCodes } from './schemas.ts';

const envelopes = JSON.parse(
  readFileSync(new URL('./__fixtures__/errors.json', import.meta.url), 'utf8'),
) as Record<string, { code: string; name: string; description: string }>;

const expectedKinds: Record<keyof typeof knownGateErrorCodes, ProviderErrorKind> = {
  '1000': 'unavailable',
  '1002': 'invalid_request',
  '1003': 'auth',
  '1004': 'duplicate',
  '1005': 'invalid_request',
  '1006': 'invalid_request',
  '1007': 'invalid_request',
  '1008': 'invalid_request',
  '1009': 'invalid_request',
  '1010': 'invalid_request',
  '1104': 'not_found',
  '1105': 'invalid_request',
  '1106': 'not_found',
  '3001': 'declined',
  '4001': 'declined',
  '4002': 'declined',
  '4003': 'declined',
  '4004': 'declined',
  '4005': 'declined',
  '4006': 'declined',
  '4007': 'declined',
  '5001': 'declined',
};

describe('readGateError', () => {
  it('has a recorded envelope for every known code', () => {
    expect(Object.keys(envelopes).sort()).toEqual(Object.keys(knownGateErrorCodes).sort());
  });

  it.each(Object.entries(expectedKinds))('maps %s to %s', (code, kind) => {
    const envelope = envelopes[code];
    const read = readGateError({ status: code === '1003' ? 401 : 400, json: envelope, operation: 'lookup' });
    expect(read.kind).toBe(kind);
    expect(read.providerCode).toBe(code);
    expect(read.message).toContain(`${code} ${envelope?.name}`);
    expect(gateErrorKind(code)).toBe(kind);
  });

  it('reads an integer code as well as a string one', () => {
    expect(
      readGateError({ status: 400, json: { code: 4001, name: 'declined_by_issuer' }, operation: 'x' }),
    ).toMatchObject({
      kind: 'declined',
      providerCode: '4001',
    });
  });

  it('leaves an unknown code to the HTTP status, keeping the code', () => {
    const read = readGateError({ status: 400, json: { code: '7777', name: 'brand_new' }, operation: 'x' });
    expect(read.kind).toBeUndefined();
    expect(read.providerCode).toBe('7777');
  });

  it('leaves bodies that are not Gate envelopes (a 429) to the HTTP status', () => {
    const body: unknown = JSON.parse(
      readFileSync(new URL('./__fixtures__/rate-limited.json', import.meta.url), 'utf8'),
    );
    expect(readGateError({ status: 429, json: body, operation: 'lookup' })).toEqual({});
    expect(readGateError({ status: 500, json: ['not', 'an', 'envelope'], operation: 'lookup' })).toEqual({});
  });

  it('never repeats a card number the provider echoed', () => {
    const read = readGateError({
      status: 400,
      json: {
        code: '4003',
        name: 'issuer_invalid_card_number',
        description: 'Card 4111111111111111 is invalid',
      },
      operation: 'createPayout',
    });
    expect(read.message).toContain('411111******1111');
    expect(read.message).not.toContain('4111111111111111');
  });

  it('keeps messages short', () => {
    const read = readGateError({
      status: 400,
      json: { code: '1002', description: 'x'.repeat(5000) },
      operation: 'x',
    });
    expect(read.message!.length).toBeLessThan(320);
  });
});

describe('decodeAnswer', () => {
  const answer = {
    status: 200,
    headers: new Headers(),
    body: { nope: true },
    contentType: 'application/json',
    requestId: 'req-1',
  };

  it('reports an unreadable look-up answer as schema, safe to retry', () => {
    try {
      decodeAnswer(answer, { operation: 'lookup', mutation: false, retrySafe: true }, () => {
        throw new Error('bad');
      });
      expect.unreachable();
    } catch (error) {
      expect(isProviderError(error) && [error.kind, error.retrySafe, error.providerRequestId]).toEqual([
        'schema',
        true,
        'req-1',
      ]);
    }
  });

  it('reports an unreadable mutation answer as unknown_outcome: the provider acted', () => {
    try {
      decodeAnswer(answer, { operation: 'refund', mutation: true, retrySafe: false }, () => {
        throw new Error('bad');
      });
      expect.unreachable();
    } catch (error) {
      expect(isProviderError(error) && [error.kind, error.retrySafe]).toEqual(['unknown_outcome', false]);
    }
  });
});
