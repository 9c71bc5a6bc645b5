/**
 * JSON as Laravel's JsonResponse writes it (PHP json_encode with no flags): "/" escaped as "\/" and every
 * non-ASCII character as \uXXXX. Clients must decode escapes before verifying a signature, so the
 * sandbox sends them the way the provider does.
 */

function encodeString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x2f:
        out += '\\/';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      default:
        out += c < 0x20 || c > 0x7f ? `\\u${c.toString(16).padStart(4, '0')}` : value[i];
    }
  }
  return `${out}"`;
}

/**
 * PHP's json_encode number text (serialize_precision = -1, no PRESERVE_ZERO_FRACTION): shortest digits,
 * a float with no fraction printed like an int, exponent form from 1e17 or below 1e-4.
 */
function encodeNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError('json_encode cannot encode INF or NAN');
  const text = String(value);
  const magnitude = Math.abs(value);
  if (!/e/.test(text) && (magnitude === 0 || (magnitude >= 1e-4 && magnitude < 1e17))) return text;
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}e${exponent.startsWith('-') ? '' : '+'}${exponent.replace('+', '')}`;
}

export function phpJsonEncode(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      return encodeNumber(value);
    case 'string':
      return encodeString(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => phpJsonEncode(item)).join(',')}]`;
      const members = Object.entries(value as Record<string, unknown>)
        .filter(([, member]) => member !== undefined)
        .map(([key, member]) => `${encodeString(key)}:${phpJsonEncode(member)}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`cannot encode a ${typeof value} as JSON`);
  }
}
