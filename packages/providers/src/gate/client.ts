/**
 * Gate over ProviderHttp: the terminal's bearer key on every call, and Gate's error envelope
 * (`{"code":"1004","name":"duplicate_request","description":"…"}`) read into a ProviderError.
 */
import type { ConnectionConfig, GateCredentials } from '../adapter.ts';
import type { ProviderErrorKind } from '../errors.ts';
import { decodeProviderAnswer, ProviderHttp, type ErrorReader, type HttpAnswer } from '../http.ts';
import { maskCardNumbers } from '../redact.ts';
import { gateErrorSchema, knownGateErrorCodes } from './schemas.ts';

export const gatePaymentsPath = '/api/v1/api/payments';

/** Gate's error codes → what a caller can do about them. Unknown codes fall back to the HTTP status. */
export function gateErrorKind(code: string): ProviderErrorKind | undefined {
  if (code === '1003') return 'auth';
  if (code === '1004') return 'duplicate';
  if (code === '1104' || code === '1106') return 'not_found';
  if (code === '3001' || code === '5001' || /^4\d{3}$/.test(code)) return 'declined';
  if (code === '1002' || code === '1105' || /^100[5-9]$/.test(code) || code === '1010')
    return 'invalid_request';
  if (code === '1000') return 'unavailable';
  return undefined;
}

/** Staff-facing messages: short, and without a card number even if the provider echoed one. */
function clip(text: string): string {
  const masked = maskCardNumbers(text);
  return masked.length > 300 ? `${masked.slice(0, 300)}…` : masked;
}

export const readGateError: ErrorReader = ({ json, operation }) => {
  const parsed = gateErrorSchema.safeParse(json);
  // A 429 (`{"message":…}`) or a proxy's JSON: the HTTP status decides.
  if (!parsed.success) return {};
  const code = String(parsed.data.code);
  const name =
    parsed.data.name ??
    (Object.hasOwn(knownGateErrorCodes, code)
      ? knownGateErrorCodes[code as keyof typeof knownGateErrorCodes]
      : undefined);
  const kind = gateErrorKind(code);
  const description = parsed.data.description ? `: ${parsed.data.description}` : '';
  return {
    ...(kind ? { kind } : {}),
    providerCode: code,
    message: clip(`${operation}: Gate refused the request (${code}${name ? ` ${name}` : ''}${description})`),
  };
};

export function createGateHttp(config: ConnectionConfig<GateCredentials>): ProviderHttp {
  const { apiKey } = config.credentials;
  return new ProviderHttp({
    provider: 'gate',
    baseUrl: config.baseUrl,
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.retries !== undefined ? { retries: config.retries } : {}),
    ...(config.onExchange ? { onExchange: config.onExchange } : {}),
    authorize: (request) => request.headers.set('authorization', `Bearer ${apiKey}`),
    requestIdHeaders: ['x-request-id', 'x-correlation-id', 'x-trace-id'],
    readError: readGateError,
  });
}

/** Field paths only: the values may be card data or personal data. */

/** Reads a 2xx answer through `decode` (see `decodeProviderAnswer`). */
export function decodeAnswer<T>(
  answer: HttpAnswer,
  call: { operation: string; mutation: boolean; retrySafe: boolean },
  decode: (body: unknown) => T,
): T {
  return decodeProviderAnswer('gate', answer, call, decode);
}
