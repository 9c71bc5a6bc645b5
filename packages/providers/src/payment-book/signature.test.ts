import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PaymentBookSignatureError,
  phpFloatRepr,
  signBody,
  signPayload,
  signingMessage,
  verifyPayload,
} from './signature.ts';

const secret = 'test-secret';

// The provider's PHP signer output for each body (README, "Payment Book signature").
const vectors: [body: string, hmac: string][] = [
  [
    '{"meta":{"reference_id":"external-reference-id","service_id":9}}',
    'f43fa285f5dccd9443e4ce4446d0f286fd0a3aee0cfa6af61716f13ad7c96e2e054985c58d7abf8eba5355fc4d84549213b10adc30b06909b51f762b859ef90d',
  ],
  [
    '{"meta":{"reference_id":"external-id-1780351433","service_id":9},"refund":{"amount":"100.00","currency":"EUR","comment":"Package with defect"}}',
    '8b4a0ddef1a0d3dcdc48228dd5acde559f8fccb9d52ee76d2b8ab3de330ff108fc47d4d0dddcddebb8cae6d96ea5af198ec38967c1dcb2b58551a8cf889759dc',
  ],
  [
    '{"meta":{"ulid":"01KS8KBXCYQ25ZB8CNCD0D3C23"}}',
    '62306c5ed8d596e8b9d880252e00046ce0805cb12c7640abf6db71afee4489d98827a7e19ed0a20ab6ce961305c972ffc1102e58308df352fe7477df7eaaeeef',
  ],
  [
    '{"meta":{"reference_id":"  a  b\\t\\nc  ","service_id":9},"x":{"s":"multi\\r\\nline","e":"","n":null,"t":true,"f":false}}',
    'bf3a10ec69879ef45ba34cbbd31a17d6aa1118cacccf2d35153a7f1d90a0fe4b53aa66c1f5c15a36bd7c32f88e5b87fe5ad29ff6a6cb9da75170a602f8ac1d85',
  ],
  [
    '{"meta":{"reference_id":"n1","service_id":9},"a":{"int":100,"float_int":100.0,"float":12.32,"neg":-0.5,"small":0.00001,"big":1e25,"str":"100.00"}}',
    '212ddc3d8f2e13ac10bffaab9147234322e44a7260721fed29dcc544c280253afc1cbfdbd996bb1eeb6206ad4bf6c20d8c34e17c16501674d8455bab5cc5fd98',
  ],
  [
    '{"meta":{"reference_id":"l12","service_id":9},"order":["i0","i1","i2","i3","i4","i5","i6","i7","i8","i9","i10","i11"]}',
    'a738c7fbe7ac3a913d1261ad985cccca8feea6438acf291d495875568be93d1fe99868492852f1d760aae606ee48a00dd1db94ceedb17b55b4e139c50cfa0a87',
  ],
  [
    '{"meta":{"reference_id":"k","service_id":9},"m":{"b":1,"a":2,"10":3,"9":4,"B":5,"_":6,"05":7,"-1":8}}',
    '1b6a003af380b78ecb77fd893a8fd81b9753ab9382ae8c413695cce6975d86447052ce41eb85786f4336bd062a7c2b44bd74dbc0e5f08c2191b5a1596d5e600b',
  ],
  [
    '{"meta":{"reference_id":"u","service_id":9},"user":{"first_name":"Jānis","city":"Rīga €"}}',
    '448efc0063848873db480b38d29ff7dea6d0393bfe64b7fa19c74805c784c287b96fc45038100a462e5be236339aefe3e89a4c162058e54abfe7db4c610f8d49',
  ],
];

const signedWebhook =
  '{"meta":{"signature":"2868c155e9280481ead82f4ef4eb51d9948aac94f1329d1cbc56f44fd779bb3a518597878177ba61b8a3431fefb6424f17827f39a831103c03a6b7984cb17796","reference_id":"payment-unique-id","service_id":11},"data":{"id":20,"ulid":"494d7969-3d84-49c3-812b-2fbbc1944e4a","type":"purchase","status":"success","amount":"100.00","cost":"0.54","currency":"EUR","unified_error_code":0,"unified_error_message":"","metadata":null,"request":[],"operations":[{"id":20,"type":"payment","status":"success","amount":"100.54","total_fee":0,"legacy_amount":12.32,"confirmed_at":null}]}}';

describe('signPayload', () => {
  it.each(vectors)('matches the provider signer for %s', (body, hmac) => {
    expect(signPayload(body, secret)).toBe(hmac);
  });

  it('ignores a meta.signature already in the body', () => {
    const [body, hmac] = vectors[0]!;
    const withSignature = body.replace('"meta":{', '"meta":{"signature":"whatever",');
    expect(signPayload(withSignature, secret)).toBe(hmac);
  });

  it('throws a PaymentBookSignatureError on malformed JSON', () => {
    expect(() => signPayload('{"meta":', secret)).toThrow(PaymentBookSignatureError);
  });
});

describe('signingMessage', () => {
  it('serializes PHP types, normalised strings and sorted keys', () => {
    expect(signingMessage(vectors[4]![0])).toBe(
      'a:2:{s:1:"a";a:7:{s:3:"big";d:1.0E+25;s:5:"float";d:12.32;s:9:"float_int";d:100;s:3:"int";i:100;' +
        's:3:"neg";d:-0.5;s:5:"small";d:1.0E-5;s:3:"str";s:6:"100.00";}' +
        's:4:"meta";a:2:{s:12:"reference_id";s:2:"n1";s:10:"service_id";i:9;}}',
    );
    expect(signingMessage(vectors[6]![0])).toContain(
      'a:8:{i:-1;i:8;s:2:"05";i:7;i:10;i:3;i:9;i:4;s:1:"B";i:5;s:1:"_";i:6;s:1:"a";i:2;s:1:"b";i:1;}',
    );
    expect(signingMessage(vectors[3]![0])).toContain('s:12:"reference_id";s:5:"a+b+c";');
  });

  it('counts string lengths in UTF-8 bytes', () => {
    expect(signingMessage('{"a":"Rīga €","😀":1}')).toBe('a:2:{s:1:"a";s:9:"Rīga+€";s:4:"😀";i:1;}');
  });

  it('treats [] and {} as the same empty array', () => {
    expect(signingMessage('{"a":[],"b":{}}')).toBe('a:2:{s:1:"a";a:0:{}s:1:"b";a:0:{}}');
  });

  it('turns integers beyond zend_long into floats and keeps the edges as ints', () => {
    expect(signingMessage('[9223372036854775807,-9223372036854775808,9223372036854775808,-0]')).toBe(
      'a:4:{i:0;i:9223372036854775807;i:1;i:-9223372036854775808;i:2;d:9.223372036854776E+18;i:3;i:0;}',
    );
  });

  it('makes only canonical, in-range integer keys int keys', () => {
    expect(signingMessage('{"-0":1,"00":2,"9223372036854775808":3,"-9223372036854775808":4,"":5}')).toBe(
      'a:5:{s:0:"";i:5;s:2:"-0";i:1;i:-9223372036854775808;i:4;s:2:"00";i:2;s:19:"9223372036854775808";i:3;}',
    );
  });

  it('lets a repeated key keep its first place and its last value', () => {
    expect(signingMessage('{"a":1,"b":2,"a":3}')).toBe('a:2:{s:1:"a";i:3;s:1:"b";i:2;}');
  });

  it('trims PHP trim() characters only, then joins every whitespace run with +', () => {
    expect(signingMessage('{"s":"\\u0000\\u000b a\\fb \\f"}')).toBe('a:1:{s:1:"s";s:4:"a+b+";}');
  });

  it('decodes escapes, surrogate pairs included', () => {
    expect(signingMessage('{"s":"\\u0041\\/\\ud83d\\ude00\\"\\\\"}')).toBe('a:1:{s:1:"s";s:8:"A/😀"\\";}');
  });

  it.each([
    ['{"a":1,}', 'trailing comma'],
    ['{"a":01}', 'leading zero'],
    ['{"a":"\\ud800"}', 'lone surrogate escape'],
    ['{"a":"\u0001"}', 'raw control character'],
    ['{"a":1} x', 'trailing garbage'],
    ['\ufeff{}', 'byte order mark'],
    ['{"a":.5}', 'bare fraction'],
    ['{"a":1e}', 'empty exponent'],
  ])('rejects %s (%s) as json_decode does', (body) => {
    expect(() => signingMessage(body)).toThrow(PaymentBookSignatureError);
  });

  it('accepts 512 levels of nesting and refuses 513, like json_decode', () => {
    expect(() => signingMessage('['.repeat(512) + ']'.repeat(512))).not.toThrow();
    expect(() => signingMessage('['.repeat(513) + ']'.repeat(513))).toThrow(PaymentBookSignatureError);
  });
});

describe('phpFloatRepr', () => {
  it.each([
    [100, '100'],
    [12.32, '12.32'],
    [-0.5, '-0.5'],
    [1e-5, '1.0E-5'],
    [1e-4, '0.0001'],
    [0.000123, '0.000123'],
    [1e15, '1000000000000000'],
    [1e16, '10000000000000000'],
    [Number('12345678901234567'), '12345678901234568'],
    [39528480211503568, '39528480211503570'],
    [1e17, '1.0E+17'],
    [Number('123456789012345678'), '1.2345678901234568E+17'],
    [1e25, '1.0E+25'],
    [1.5e300, '1.5E+300'],
    [5e-324, '5.0E-324'],
    [0.1 + 0.2, '0.30000000000000004'],
    [0, '0'],
    [-0, '-0'],
    [Infinity, 'INF'],
    [-Infinity, '-INF'],
  ])('%s → %s', (value, text) => {
    expect(phpFloatRepr(value)).toBe(text);
  });

  it('round-trips every finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(Object.is(Number(phpFloatRepr(value)), value)).toBe(true);
      }),
    );
  });
});

describe('verifyPayload', () => {
  it('accepts the README webhook and refuses it once total_fee is 0.0', () => {
    expect(verifyPayload(signedWebhook, secret)).toBe(true);
    expect(verifyPayload(signedWebhook.replace('"total_fee":0', '"total_fee":0.0'), secret)).toBe(false);
  });

  it('is false for the wrong secret, a missing, non-string or upper-case signature, or broken JSON', () => {
    expect(verifyPayload(signedWebhook, 'other-secret')).toBe(false);
    expect(verifyPayload(vectors[0]![0], secret)).toBe(false);
    expect(verifyPayload('{"meta":{"signature":12,"service_id":9}}', secret)).toBe(false);
    const upper = signedWebhook.replace(
      /"signature":"([0-9a-f]+)"/,
      (_, hex: string) => `"signature":"${hex.toUpperCase()}"`,
    );
    expect(verifyPayload(upper, secret)).toBe(false);
    expect(verifyPayload(signedWebhook.slice(0, -1), secret)).toBe(false);
    expect(verifyPayload('', secret)).toBe(false);
    expect(verifyPayload('[]', secret)).toBe(false);
    expect(verifyPayload('{"meta":"x"}', secret)).toBe(false);
  });
});

describe('signBody', () => {
  it('inserts the signature first in meta and leaves every other byte alone', () => {
    const body = '{"meta": {"reference_id":"r","service_id":9}, "x": 0.0, "y": 1E2}';
    const signed = signBody(body, secret);
    expect(signed).toBe(
      `{"meta": {"signature":"${signPayload(body, secret)}","reference_id":"r","service_id":9}, "x": 0.0, "y": 1E2}`,
    );
    expect(verifyPayload(signed, secret)).toBe(true);
  });

  it('signs an empty meta and replaces an existing signature', () => {
    const signed = signBody('{"meta":{}}', secret);
    expect(verifyPayload(signed, secret)).toBe(true);
    const resigned = signBody(signed, 'another');
    expect(verifyPayload(resigned, 'another')).toBe(true);
    expect(resigned.match(/signature/g)).toHaveLength(1);
  });

  it('refuses a body without a meta object', () => {
    expect(() => signBody('{"data":{}}', secret)).toThrow(PaymentBookSignatureError);
    expect(() => signBody('{"meta":[]}', secret)).toThrow(PaymentBookSignatureError);
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties over arbitrary bodies, written through a tiny JSON model that keeps number lexemes.

type Json =
  | { t: 'object'; members: [string, Json][] }
  | { t: 'array'; items: Json[] }
  | { t: 'string'; value: string }
  | { t: 'int'; lexeme: string }
  | { t: 'float'; lexeme: string }
  | { t: 'bool'; value: boolean }
  | { t: 'null' };

function floatLexeme(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

const keyArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('0', '1', '10', '-1', '05', '-0', ' a ', 'a b'),
);
const stringArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\f', '\v', '\0', 'a', 'é'), maxLength: 8 }),
);
const leafArb: fc.Arbitrary<Json> = fc.oneof(
  stringArb.map((value): Json => ({ t: 'string', value })),
  fc
    .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
    .map((value): Json => ({ t: 'int', lexeme: String(value) })),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .map((value): Json => ({ t: 'float', lexeme: floatLexeme(value) })),
  fc.boolean().map((value): Json => ({ t: 'bool', value })),
  fc.constant<Json>({ t: 'null' }),
);
const { json: jsonArb } = fc.letrec<{ json: Json; object: Json }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    tie('object'),
    fc.array(tie('json'), { maxLength: 4 }).map((items): Json => ({ t: 'array', items })),
  ),
  object: fc
    .uniqueArray(fc.tuple(keyArb, tie('json')), { selector: ([key]) => key, maxLength: 4 })
    .map((members): Json => ({ t: 'object', members })),
}));
const bodyArb: fc.Arbitrary<Json> = fc
  .record({
    reference: stringArb,
    serviceId: fc.integer({ min: 1, max: 10_000 }),
    extraMeta: fc.uniqueArray(fc.tuple(keyArb, jsonArb), { selector: ([key]) => key, maxLength: 2 }),
    rest: fc.uniqueArray(fc.tuple(keyArb, jsonArb), { selector: ([key]) => key, maxLength: 4 }),
  })
  .map(({ reference, serviceId, extraMeta, rest }): Json => ({
    t: 'object',
    members: [
      [
        'meta',
        {
          t: 'object',
          members: [
            ['reference_id', { t: 'string', value: reference }],
            ['service_id', { t: 'int', lexeme: String(serviceId) }],
            ...extraMeta.filter(
              ([key]) => key !== 'reference_id' && key !== 'service_id' && key !== 'signature',
            ),
          ],
        },
      ],
      ...rest.filter(([key]) => key !== 'meta'),
    ],
  }));

/** `escaped` writes every non-ASCII character and "/" as escapes, as PHP's json_encode does. */
function write(node: Json, escaped = false): string {
  const str = (value: string) =>
    escaped
      ? JSON.stringify(value).replace(/[\u007f-\uffff/]/g, (c) =>
          c === '/' ? '\\/' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        )
      : JSON.stringify(value);
  switch (node.t) {
    case 'object':
      return `{${node.members.map(([key, value]) => `${str(key)}:${write(value, escaped)}`).join(escaped ? ', ' : ',')}}`;
    case 'array':
      return `[${node.items.map((item) => write(item, escaped)).join(',')}]`;
    case 'string':
      return str(node.value);
    case 'int':
    case 'float':
      return node.lexeme;
    case 'bool':
      return String(node.value);
    case 'null':
      return 'null';
  }
}

function withSignature(body: Json, signature: string): Json {
  if (body.t !== 'object') throw new Error('body is an object');
  return {
    ...body,
    members: body.members.map(([key, value]): [string, Json] =>
      key === 'meta' && value.t === 'object'
        ? [key, { ...value, members: [['signature', { t: 'string', value: signature }], ...value.members] }]
        : [key, value],
    ),
  };
}

type Mutation = 'value' | 'lexeme' | 'key' | 'add';

/** Every node with the mutations that must change the signed message. */
function candidates(
  node: Json,
  out: { node: Json; mutation: Mutation }[] = [],
): { node: Json; mutation: Mutation }[] {
  switch (node.t) {
    case 'object':
      out.push({ node, mutation: 'add' });
      if (node.members.length > 0) out.push({ node, mutation: 'key' });
      for (const [, value] of node.members) candidates(value, out);
      break;
    case 'array':
      out.push({ node, mutation: 'add' });
      for (const item of node.items) candidates(item, out);
      break;
    case 'int':
      out.push({ node, mutation: 'lexeme' }, { node, mutation: 'value' });
      break;
    default:
      out.push({ node, mutation: 'value' });
  }
  return out;
}

/** Applies one mutation in place (the tree is a fresh copy). */
function mutate(node: Json, mutation: Mutation, pick: number): void {
  switch (mutation) {
    case 'add':
      if (node.t === 'object') {
        let key = 'added';
        while (node.members.some(([existing]) => existing === key)) key += '_';
        node.members.push([key, { t: 'null' }]);
      } else if (node.t === 'array') node.items.push({ t: 'null' });
      return;
    case 'key':
      if (node.t === 'object') {
        const member = node.members[pick % node.members.length]!;
        let key = `${member[0]}x`;
        while (node.members.some(([existing]) => existing === key)) key += 'x';
        member[0] = key;
      }
      return;
    case 'lexeme':
      if (node.t === 'int') Object.assign(node, { t: 'float', lexeme: `${node.lexeme}.0` });
      return;
    case 'value':
      switch (node.t) {
        case 'string':
          node.value += 'x';
          return;
        case 'int':
          node.lexeme = String(BigInt(node.lexeme) + 1n);
          return;
        case 'float': {
          const value = Number(node.lexeme);
          node.lexeme = floatLexeme(value === 0 && !Object.is(value, -0) ? -0 : -value);
          return;
        }
        case 'bool':
          node.value = !node.value;
          return;
        case 'null':
          Object.assign(node, { t: 'bool', value: false });
          return;
        default:
          return;
      }
  }
}

describe('properties', () => {
  it('sign → verify round-trips, and signBody only adds the signature', () => {
    fc.assert(
      fc.property(bodyArb, fc.string({ minLength: 1 }), (body, key) => {
        const text = write(body);
        const signature = signPayload(text, key);
        expect(signature).toMatch(/^[0-9a-f]{128}$/);
        expect(verifyPayload(write(withSignature(body, signature)), key)).toBe(true);
        const signed = signBody(text, key);
        expect(verifyPayload(signed, key)).toBe(true);
        expect(signed.replace(`"signature":"${signature}",`, '')).toBe(text);
      }),
    );
  });

  it('does not depend on escaping, spacing or key order', () => {
    fc.assert(
      fc.property(bodyArb, (body) => {
        const reversed: Json = body.t === 'object' ? { ...body, members: [...body.members].reverse() } : body;
        expect(signPayload(write(reversed, true), secret)).toBe(signPayload(write(body), secret));
      }),
    );
  });

  it('fails verification after any single change to a signed body', () => {
    fc.assert(
      fc.property(bodyArb, fc.nat(), fc.nat(), (body, which, pick) => {
        const signed = withSignature(body, signPayload(write(body), secret));
        const copy = structuredClone(signed);
        const targets = candidates(copy);
        const target = targets[which % targets.length]!;
        mutate(target.node, target.mutation, pick);
        const changed = write(copy);
        expect(changed).not.toBe(write(signed));
        expect(verifyPayload(changed, secret)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
