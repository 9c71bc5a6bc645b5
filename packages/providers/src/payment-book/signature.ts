/**
 * Payment Book's request and webhook signature: lowercase hex HMAC-SHA512 over PHP's `serialize()` of the
 * body as the provider's PHP signer sees it (see /work/shared/providers/README.md, "Payment Book
 * signature"). The body is never re-encoded: a small JSON reader keeps each number's lexical form,
 * because PHP types `0` as int and `0.0` as float, and the two serialize differently.
 *
 * Pure apart from `node:crypto`, so the adapter, its tests and the sandbox share one code path.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export class PaymentBookSignatureError extends Error {
  override readonly name = 'PaymentBookSignatureError';
}

// ---------------------------------------------------------------------------------------------------
// JSON syntax tree with source offsets (offsets let signBody edit the text without re-encoding it).

type JsonNode =
  | { type: 'object'; start: number; end: number; members: JsonMember[] }
  | { type: 'array'; start: number; end: number; items: JsonNode[] }
  | { type: 'string'; start: number; end: number; value: string }
  | { type: 'number'; start: number; end: number; lexeme: string }
  | { type: 'literal'; start: number; end: number; value: boolean | null };

interface JsonMember {
  key: string;
  keyStart: number;
  value: JsonNode;
}

/** php_json_parser's default nesting limit for json_decode(). */
const MAX_DEPTH = 512;
const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class JsonReader {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  readDocument(): JsonNode {
    const node = this.readValue();
    this.skipWhitespace();
    if (this.pos !== this.text.length) this.fail('unexpected trailing characters');
    return node;
  }

  private fail(reason: string): never {
    throw new PaymentBookSignatureError(`malformed JSON at offset ${this.pos}: ${reason}`);
  }

  private skipWhitespace(): void {
    // PHP's scanner accepts exactly these four, like RFC 8259.
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else return;
    }
  }

  private readValue(): JsonNode {
    this.skipWhitespace();
    const start = this.pos;
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.readObject();
      case '[':
        return this.readArray();
      case '"':
        return { type: 'string', start, value: this.readString(), end: this.pos };
      case 't':
        return this.readLiteral('true', true);
      case 'f':
        return this.readLiteral('false', false);
      case 'n':
        return this.readLiteral('null', null);
      default: {
        numberPattern.lastIndex = start;
        const match = numberPattern.exec(this.text);
        if (!match) this.fail('expected a value');
        this.pos = start + match[0].length;
        return { type: 'number', start, end: this.pos, lexeme: match[0] };
      }
    }
  }

  private readLiteral(word: string, value: boolean | null): JsonNode {
    const start = this.pos;
    if (!this.text.startsWith(word, start)) this.fail(`expected ${word}`);
    this.pos += word.length;
    return { type: 'literal', start, end: this.pos, value };
  }

  private enter(): void {
    if (this.depth >= MAX_DEPTH) this.fail('maximum nesting depth exceeded');
    this.depth++;
  }

  private readObject(): JsonNode {
    const start = this.pos;
    this.enter();
    this.pos++;
    const members: JsonMember[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
    } else {
      for (;;) {
        this.skipWhitespace();
        if (this.text[this.pos] !== '"') this.fail('expected an object key');
        const keyStart = this.pos;
        const key = this.readString();
        this.skipWhitespace();
        if (this.text[this.pos] !== ':') this.fail('expected ":"');
        this.pos++;
        members.push({ key, keyStart, value: this.readValue() });
        this.skipWhitespace();
        const next = this.text[this.pos];
        this.pos++;
        if (next === '}') break;
        if (next !== ',') this.fail('expected "," or "}"');
      }
    }
    this.depth--;
    return { type: 'object', start, end: this.pos, members };
  }

  private readArray(): JsonNode {
    const start = this.pos;
    this.enter();
    this.pos++;
    const items: JsonNode[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
    } else {
      for (;;) {
        items.push(this.readValue());
        this.skipWhitespace();
        const next = this.text[this.pos];
        this.pos++;
        if (next === ']') break;
        if (next !== ',') this.fail('expected "," or "]"');
      }
    }
    this.depth--;
    return { type: 'array', start, end: this.pos, items };
  }

  private readHex4(): number {
    const hex = this.text.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
    this.pos += 4;
    return Number.parseInt(hex, 16);
  }

  /** Reads a string token; `pos` is on the opening quote. */
  private readString(): string {
    this.pos++;
    let out = '';
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated string');
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x22) {
        out += this.text.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c >= 0xd800 && c <= 0xdfff) {
        // A lone surrogate cannot come from UTF-8 bytes; PHP would reject the input.
        const low = this.text.charCodeAt(this.pos + 1);
        if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) this.fail('invalid UTF-16 in string');
        this.pos += 2;
        continue;
      }
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += this.text.slice(runStart, this.pos);
      const escape = this.text[this.pos + 1];
      this.pos += 2;
      switch (escape) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const unit = this.readHex4();
          if (unit >= 0xd800 && unit <= 0xdbff) {
            // PHP pairs a high surrogate escape only with an immediately following low one.
            if (this.text.slice(this.pos, this.pos + 2) !== '\\u')
              this.fail('single unpaired UTF-16 surrogate');
            this.pos += 2;
            const low = this.readHex4();
            if (low < 0xdc00 || low > 0xdfff) this.fail('single unpaired UTF-16 surrogate');
            out += String.fromCharCode(unit, low);
          } else if (unit >= 0xdc00 && unit <= 0xdfff) {
            this.fail('single unpaired UTF-16 surrogate');
          } else {
            out += String.fromCharCode(unit);
          }
          break;
        }
        default:
          this.fail('invalid escape');
      }
      runStart = this.pos;
    }
  }
}

function readJson(rawJson: string): JsonNode {
  return new JsonReader(rawJson).readDocument();
}

// ---------------------------------------------------------------------------------------------------
// PHP values as json_decode($raw, true) builds them.

type PhpKey = bigint | string;
type PhpValue =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'array'; entries: PhpArray };
/** Insertion-ordered; the map key tells int 1 from string "1" apart so duplicates overwrite in place. */
type PhpArray = Map<string, { key: PhpKey; value: PhpValue }>;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

function slot(key: PhpKey): string {
  return typeof key === 'bigint' ? `i${key}` : `s${key}`;
}

/** zend_symtable_update: a canonical decimal integer string that fits in a zend_long becomes an int key. */
function phpKey(key: string): PhpKey {
  if (!/^(?:0|-?[1-9]\d{0,18})$/.test(key)) return key;
  const value = BigInt(key);
  return value > INT64_MAX || value < INT64_MIN ? key : value;
}

/**
 * php_json_scanner: an integer literal is an int unless it overflows zend_long, in which case it becomes a
 * float; anything with a fraction or an exponent is a float.
 */
function phpNumber(lexeme: string): PhpValue {
  if (/[.eE]/.test(lexeme)) return { kind: 'float', value: Number(lexeme) };
  const value = BigInt(lexeme);
  if (value > INT64_MAX || value < INT64_MIN) return { kind: 'float', value: Number(lexeme) };
  return { kind: 'int', value };
}

function toPhp(node: JsonNode): PhpValue {
  switch (node.type) {
    case 'literal':
      return node.value === null ? { kind: 'null' } : { kind: 'bool', value: node.value };
    case 'number':
      return phpNumber(node.lexeme);
    case 'string':
      return { kind: 'string', value: node.value };
    case 'array': {
      const entries: PhpArray = new Map();
      node.items.forEach((item, index) => {
        const key = BigInt(index);
        entries.set(slot(key), { key, value: toPhp(item) });
      });
      return { kind: 'array', entries };
    }
    case 'object': {
      const entries: PhpArray = new Map();
      for (const member of node.members) {
        const key = phpKey(member.key);
        const id = slot(key);
        const value = toPhp(member.value);
        // A repeated key keeps its first position and takes the last value, as in a PHP array.
        const existing = entries.get(id);
        if (existing) existing.value = value;
        else entries.set(id, { key, value });
      }
      return { kind: 'array', entries };
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The signer's normalisation and PHP serialize().

/** PHP trim()'s default set: space, \t, \n, \r, \0, \x0B (not \f). */
const trimPattern = /^[ \t\n\r\0\v]+|[ \t\n\r\0\v]+$/g;
/** PCRE's \s without /u: space, \t, \n, \x0B, \f, \r. */
const whitespaceRun = /[ \t\n\v\f\r]+/g;

function normalizeString(value: string): string {
  return value.replace(trimPattern, '').replace(whitespaceRun, '+');
}

/** Byte-wise comparison of the UTF-8 forms, which is code point order (zend_binary_strcmp). */
function compareUtf8(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(j) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return a.length - i - (b.length - j);
}

function utf8Length(value: string): number {
  let length = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) length += 1;
    else if (c < 0x800) length += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

/**
 * PHP's float text with serialize_precision = -1: zend_gcvt() in mode 0 (shortest round-trip digits,
 * which is what ECMAScript's Number::toString picks too), exponent form when the decimal point position
 * is beyond 17 digits or more than 3 zeros after the point, i.e. |x| >= 1e17 or |x| < 1e-4.
 */
export function phpFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'NAN';
  if (!Number.isFinite(value)) return value > 0 ? 'INF' : '-INF';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const sign = value < 0 ? '-' : '';
  const [mantissa = '', exponent] = String(Math.abs(value)).split('e');
  const [whole = '', fraction = ''] = mantissa.split('.');
  let digits = whole + fraction;
  // decpt as in dtoa: value = 0.<digits> × 10^decpt
  let decpt = whole.length + (exponent === undefined ? 0 : Number(exponent));
  const leadingZeros = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(leadingZeros).replace(/0+$/, '');
  decpt -= leadingZeros;

  if (decpt > 17 || decpt < -3) {
    const e = decpt - 1;
    return `${sign}${digits[0] ?? '0'}.${digits.slice(1) || '0'}E${e < 0 ? '-' : '+'}${Math.abs(e)}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (digits.length <= decpt) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

function serializeString(value: string): string {
  return `s:${utf8Length(value)}:"${value}";`;
}

function serialize(value: PhpValue): string {
  switch (value.kind) {
    case 'null':
      return 'N;';
    case 'bool':
      return value.value ? 'b:1;' : 'b:0;';
    case 'int':
      return `i:${value.value};`;
    case 'float':
      return `d:${phpFloatRepr(value.value)};`;
    case 'string':
      return serializeString(normalizeString(value.value));
    case 'array': {
      // ksort($array, SORT_STRING) on every level, lists included.
      const sorted = [...value.entries.values()]
        .map((entry) => ({ ...entry, text: String(entry.key) }))
        .sort((a, b) => compareUtf8(a.text, b.text));
      let out = `a:${sorted.length}:{`;
      for (const entry of sorted) {
        out += typeof entry.key === 'bigint' ? `i:${entry.key};` : serializeString(entry.key);
        out += serialize(entry.value);
      }
      return `${out}}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Public API.

function messageOf(tree: JsonNode): string {
  const value = toPhp(tree);
  if (value.kind === 'array') {
    const meta = value.entries.get(slot('meta'));
    if (meta?.value.kind === 'array') meta.value.entries.delete(slot('signature'));
  }
  return serialize(value);
}

function hmacHex(message: string, secret: string): string {
  return createHmac('sha512', secret).update(message, 'utf8').digest('hex');
}

/** The exact string that is HMAC'd: PHP serialize() of the normalised body without meta.signature. */
export function signingMessage(rawJson: string): string {
  return messageOf(readJson(rawJson));
}

/** Lowercase hex HMAC-SHA512 of a JSON text, ignoring any meta.signature in it. Throws on malformed JSON. */
export function signPayload(rawJson: string, secret: string): string {
  return hmacHex(signingMessage(rawJson), secret);
}

function lastMember(node: JsonNode | undefined, key: string): JsonMember | undefined {
  if (node?.type !== 'object') return undefined;
  return node.members.findLast((member) => member.key === key);
}

/**
 * True when the text's meta.signature is the signature of the text. Never throws: malformed JSON, a
 * missing or non-string signature are all `false`.
 */
export function verifyPayload(rawJson: string, secret: string): boolean {
  try {
    const tree = readJson(rawJson);
    const signature = lastMember(lastMember(tree, 'meta')?.value, 'signature')?.value;
    if (signature?.type !== 'string') return false;
    const encoder = new TextEncoder();
    const given = encoder.encode(signature.value);
    const expected = encoder.encode(hmacHex(messageOf(tree), secret));
    return given.length === expected.length && timingSafeEqual(given, expected);
  } catch {
    return false;
  }
}

/**
 * Returns the body with `meta.signature` set, every other byte unchanged (so `0.0` stays `0.0`). The
 * signature goes first in `meta`, as the provider's examples show; an existing one is replaced.
 */
export function signBody(rawJson: string, secret: string): string {
  const tree = readJson(rawJson);
  const meta = lastMember(tree, 'meta')?.value;
  if (meta?.type !== 'object') throw new PaymentBookSignatureError('the body has no "meta" object to sign');
  const signature = JSON.stringify(hmacHex(messageOf(tree), secret));
  const existing = lastMember(meta, 'signature');
  if (existing) {
    return rawJson.slice(0, existing.value.start) + signature + rawJson.slice(existing.value.end);
  }
  const insertAt = meta.start + 1;
  const member = `"signature":${signature}${meta.members.length > 0 ? ',' : ''}`;
  return rawJson.slice(0, insertAt) + member + rawJson.slice(insertAt);
}
