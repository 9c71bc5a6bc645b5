import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signCallback, verifyCallback } from './signature.ts';

// The vector from providers/README.md ("Paytone").
const vectorBody =
  '{"data":{"type":"payment-invoices","id":"cpi_TEST","attributes":{"status":"processed","resolution":"ok","amount":100.5}}}';
const vectorSecret = 'sk_test_EXAMPLE';
const vectorSignature = 'uRoKcIoSY1OgP/GLMVPxJhKQPiA=';

// Well-formed strings over the whole Unicode range (no lone surrogates: they cannot travel as UTF-8).
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));
const codePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });

type Edit = { kind: 'replace' | 'insert' | 'delete'; at: number; with: string };
const edit = fc.record({
  kind: fc.constantFrom<Edit['kind']>('replace', 'insert', 'delete'),
  at: fc.nat(),
  with: codePoint,
});

/** One edit on code points (not UTF-16 units, so the result stays well-formed). */
function applyEdit(value: string, { kind, at, with: inserted }: Edit): string {
  const points = [...value];
  const index = points.length === 0 ? 0 : at % (points.length + (kind === 'insert' ? 1 : 0));
  switch (kind) {
    case 'replace':
      points.splice(index, 1, inserted);
      break;
    case 'insert':
      points.splice(index, 0, inserted);
      break;
    case 'delete':
      points.splice(index, 1);
      break;
  }
  return points.join('');
}

describe('signCallback', () => {
  it('matches the documented vector', () => {
    expect(signCallback(vectorBody, vectorSecret)).toBe(vectorSignature);
  });

  it('is plain SHA-1 of the UTF-8 bytes of secret + body + secret', () => {
    const body = '{"description":"Rīga €, 東京 🚀"}';
    const expected = createHash('sha1')
      .update(Buffer.concat([Buffer.from('sk'), Buffer.from(body, 'utf8'), Buffer.from('sk')]))
      .digest('base64');
    expect(signCallback(body, 'sk')).toBe(expected);
  });

  it('is 28 base64 characters encoding 20 bytes', () => {
    fc.assert(
      fc.property(text, text, (body, secret) => {
        const signature = signCallback(body, secret);
        expect(signature).toMatch(/^[A-Za-z0-9+/]{27}=$/);
        expect(Buffer.from(signature, 'base64')).toHaveLength(20);
      }),
    );
  });
});

describe('verifyCallback', () => {
  it('accepts the documented vector', () => {
    expect(verifyCallback(vectorBody, vectorSignature, vectorSecret)).toBe(true);
  });

  it('refuses the vector with the live secret or a changed body', () => {
    expect(verifyCallback(vectorBody, vectorSignature, 'sk_live_EXAMPLE')).toBe(false);
    expect(verifyCallback(vectorBody.replace('100.5', '100.50'), vectorSignature, vectorSecret)).toBe(false);
  });

  it('round-trips sign → verify on arbitrary strings', () => {
    fc.assert(
      fc.property(text, text, (body, secret) => verifyCallback(body, signCallback(body, secret), secret)),
    );
  });

  it('fails after any single change to the body', () => {
    fc.assert(
      fc.property(text, text, edit, (body, secret, change) => {
        const changed = applyEdit(body, change);
        fc.pre(changed !== body);
        return !verifyCallback(changed, signCallback(body, secret), secret);
      }),
    );
  });

  it('fails after any single change to the secret', () => {
    fc.assert(
      fc.property(text, text, edit, (body, secret, change) => {
        const changed = applyEdit(secret, change);
        fc.pre(changed !== secret);
        return !verifyCallback(body, signCallback(body, secret), changed);
      }),
    );
  });

  it('fails after any single change to the signature', () => {
    fc.assert(
      fc.property(text, text, edit, (body, secret, change) => {
        const signature = signCallback(body, secret);
        const changed = applyEdit(signature, change);
        fc.pre(changed !== signature);
        return !verifyCallback(body, changed, secret);
      }),
    );
  });

  it.each([
    ['empty', ''],
    ['not base64', 'not a signature at all!!!!!'],
    [
      'hex digest',
      createHash('sha1')
        .update(vectorSecret + vectorBody + vectorSecret)
        .digest('hex'),
    ],
    ['missing padding', vectorSignature.slice(0, -1)],
    ['url-safe alphabet', vectorSignature.replace('/', '_')],
    ['surrounding whitespace', ` ${vectorSignature}`],
    ['non-canonical last character', `${vectorSignature.slice(0, 26)}B=`],
    ['too long', `${vectorSignature}AAAA`],
  ])('returns false, without throwing, for a malformed signature (%s)', (_name, signature) => {
    expect(verifyCallback(vectorBody, signature, vectorSecret)).toBe(false);
  });

  it('returns false for a signature that is not a string at run time', () => {
    for (const value of [undefined, null, 42, ['a'], Buffer.from(vectorSignature)]) {
      expect(verifyCallback(vectorBody, value as unknown as string, vectorSecret)).toBe(false);
    }
  });
});
