/**
 * Paytone over ProviderHttp. Two APIs on one base URL: the private `/api/…` (HTTP Basic: login = the
 * commerce account id, password = the API key) and the public `/public-api/…` (the account's
 * `public_key` in the body, added by the caller). Error envelopes:
 * - 401/403/404/405: `{"errors":[{"status":"Unauthorized","code":"401"}]}`
 * - 422: `{"errors":{"amount":"This value should be greater than 0."}}` → `fields`
 * - 409: the body is the earlier object (a repeated `reference_id`) → `existing`, normalized
 * - 500: `{"errors":[{"status","code","title","detail"}]}`
 */
import type { ConnectionConfig, PaytoneCredentials } from '../adapter.ts';
import type { ProviderErrorKind } from '../errors.ts';
import { decodeProviderAnswer, ProviderHttp, type ErrorReader, type HttpAnswer } from '../http.ts';
import { maskCardNumbers } from '../redact.ts';
import { normalizeDocument } from './normalize.ts';
import { fieldErrorsSchema, statusErrorsSchema } from './schemas.ts';

function kindOfStatus(status: number): ProviderErrorKind | undefined {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 405 || status === 400 || status === 422) return 'invalid_request';
  if (status === 409) return 'duplicate';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return undefined;
}

/** Short, and without a card number even if the provider echoed one. */
function clip(text: string): string {
  const masked = maskCardNumbers(text);
  return masked.length > 300 ? `${masked.slice(0, 300)}…` : masked;
}

/** Paytone's validation paths look like `customer.email` or `service_fields.card_number`; kept as they are. */
function fieldsOf(errors: Record<string, string | string[]>): { path: string; message: string }[] {
  return Object.entries(errors).map(([path, message]) => ({
    path,
    message: clip(Array.isArray(message) ? message.join(' ') : message),
  }));
}

export const readPaytoneError: ErrorReader = ({ status, json, operation }) => {
  if (status === 409) {
    // The earlier object, so the caller can carry on with it. An unreadable one is still a duplicate.
    let existing: unknown;
    try {
      const document = normalizeDocument(json);
      existing = document.type === 'transaction' ? document.transaction : document.refund;
    } catch {
      existing = undefined;
    }
    return {
      kind: 'duplicate',
      providerCode: '409',
      message: `${operation}: Paytone already has an object with this reference_id`,
      ...(existing !== undefined ? { existing } : {}),
    };
  }
  const listed = statusErrorsSchema.safeParse(json);
  if (listed.success) {
    const first = listed.data.errors[0];
    const code = first?.code !== null && first?.code !== undefined ? String(first.code) : String(status);
    const numeric = /^\d{3}$/.test(code) ? Number(code) : status;
    const kind = kindOfStatus(numeric) ?? kindOfStatus(status);
    const label =
      first?.title ??
      (first?.status !== null && first?.status !== undefined ? String(first.status) : undefined);
    const detail = first?.detail ? `: ${first.detail}` : '';
    return {
      ...(kind ? { kind } : {}),
      providerCode: code,
      message: clip(`${operation}: Paytone answered ${code}${label ? ` ${label}` : ''}${detail}`),
    };
  }
  const validation = fieldErrorsSchema.safeParse(json);
  if (validation.success) {
    const fields = fieldsOf(validation.data.errors);
    return {
      kind: 'invalid_request',
      providerCode: String(status),
      message: clip(
        `${operation}: Paytone refused the request (${fields.map((field) => `${field.path}: ${field.message}`).join('; ')})`,
      ),
      fields,
    };
  }
  return {};
};

export function basicAuthorization(credentials: PaytoneCredentials): string {
  return `Basic ${Buffer.from(`${credentials.commerceAccountId}:${credentials.apiKey}`, 'utf8').toString('base64')}`;
}

export function createPaytoneHttp(config: ConnectionConfig<PaytoneCredentials>): ProviderHttp {
  const authorization = basicAuthorization(config.credentials);
  const privatePrefix = `${new URL(config.baseUrl).pathname.replace(/\/+$/, '')}/api/`;
  return new ProviderHttp({
    provider: 'paytone',
    baseUrl: config.baseUrl,
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.retries !== undefined ? { retries: config.retries } : {}),
    ...(config.onExchange ? { onExchange: config.onExchange } : {}),
    authorize: (request) => {
      // The API key goes only to the private API; the public one is authenticated by the public key.
      if (new URL(request.url).pathname.startsWith(privatePrefix))
        request.headers.set('authorization', authorization);
    },
    requestIdHeaders: ['x-request-id', 'x-correlation-id', 'x-trace-id'],
    readError: readPaytoneError,
  });
}

/** Field paths only: the values may be card data or personal data. */

/** Reads a 2xx answer through `decode` (see `decodeProviderAnswer`). */
export function decodeAnswer<T>(
  answer: HttpAnswer,
  call: { operation: string; mutation: boolean; retrySafe: boolean },
  decode: (body: unknown) => T,
): T {
  return decodeProviderAnswer('paytone', answer, call, decode);
}
