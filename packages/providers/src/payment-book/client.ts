/**
 * Payment Book's HTTP client on the shared ProviderHttp: the token's name in `X-REQUEST-TOKEN-NAME`,
 * and `meta.signature` computed over the exact JSON text that goes on the wire (signBody adds the
 * signature without re-encoding anything, so the types the provider parses are the types we signed).
 *
 * The provider's signer trims strings and its validator (Laravel) turns "" into null, so an empty or
 * null value would be signed as one thing and validated as another. The request builder therefore
 * never sends them: strings are trimmed first, empty strings, nulls and empty containers are omitted.
 */
import type { ProviderName } from '@paydesk/domain';
import type { ConnectionConfig, PaymentBookCredentials } from '../adapter.ts';
import { ProviderError, type ProviderErrorDetails, type ProviderErrorKind } from '../errors.ts';
import { ProviderHttp, type ErrorReader } from '../http.ts';
import {
  pbEnvelopeSchema,
  pbOperationErrorsSchema,
  pbValidationErrorsSchema,
  unifiedErrorCodes,
  type PbEnvelope,
} from './schemas.ts';
import { signBody } from './signature.ts';

const PROVIDER: ProviderName = 'payment-book';
export const TOKEN_HEADER = 'X-REQUEST-TOKEN-NAME';

/**
 * What `meta` holds besides the signature: the merchant reference and service for transactions,
 * the operation ulid for receipts, the service alone for payment methods (the document's "must
 * contain 3 items" / "2 items").
 */
export type PbMeta = { reference_id: string; service_id: number } | { ulid: string } | { service_id: number };

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type JsonValue = string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

/**
 * Trims strings and drops what the provider would read as "nothing" (undefined, null, "", [] and {}),
 * recursively. Numbers must be safe integers: amounts travel as decimal strings, because a float's JSON
 * text ("100" for 100.0) would change its PHP type and so the signature's meaning.
 */
export function cleanPayload(value: unknown, path = 'body'): JsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  switch (typeof value) {
    case 'string': {
      if (loneSurrogate.test(value)) {
        // Not valid UTF-8 once encoded: PHP's json_decode, and so the provider's signer, refuses it.
        throw new ProviderError({
          kind: 'invalid_request',
          provider: PROVIDER,
          message: `Payment Book: ${path} is not valid Unicode text`,
          retrySafe: true,
        });
      }
      const trimmed = value.trim();
      return trimmed === '' ? undefined : trimmed;
    }
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isSafeInteger(value)) {
        throw new TypeError(
          `${path}: only safe integers are sent as numbers (amounts go as decimal strings)`,
        );
      }
      return value;
    case 'object': {
      if (Array.isArray(value)) {
        const items = value
          .map((item, index) => cleanPayload(item, `${path}.${index}`))
          .filter((item): item is JsonValue => item !== undefined);
        return items.length > 0 ? items : undefined;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
        throw new TypeError(`${path}: only plain objects are sent`);
      }
      const entries = Object.entries(value as Record<string, unknown>)
        .map(([key, item]) => [key, cleanPayload(item, `${path}.${key}`)] as const)
        .filter((entry): entry is readonly [string, JsonValue] => entry[1] !== undefined);
      return entries.length > 0 ? Object.fromEntries(entries) : undefined;
    }
    default:
      throw new TypeError(`${path}: a ${typeof value} cannot be sent as JSON`);
  }
}

/**
 * The exact text to send: `{"meta":{"signature":…, …meta}, …payload}` with the signature computed
 * over that text. Throws a ProviderError `invalid_request` (nothing sent) when a meta value is empty.
 */
export function buildSignedBody(secret: string, meta: PbMeta, payload: Record<string, unknown> = {}): string {
  const cleanMeta = cleanPayload(meta, 'meta');
  const missing = Object.keys(meta).filter(
    (key) => typeof cleanMeta !== 'object' || Array.isArray(cleanMeta) || !(key in cleanMeta),
  );
  if (missing.length > 0) {
    throw new ProviderError({
      kind: 'invalid_request',
      provider: PROVIDER,
      message: `Payment Book: meta.${missing.join(', meta.')} must not be empty`,
      retrySafe: true,
    });
  }
  if ('meta' in payload) throw new TypeError('the payload must not carry its own meta');
  const body = cleanPayload(payload, 'body');
  return signBody(
    JSON.stringify({ meta: cleanMeta, ...(body as Record<string, JsonValue> | undefined) }),
    secret,
  );
}

// ---- errors -----------------------------------------------------------------------------------------

function numericCode(code: number | string | null | undefined): number | undefined {
  if (typeof code === 'number' && Number.isInteger(code)) return code;
  if (typeof code === 'string' && /^\s*-?\d+\s*$/.test(code)) return Number(code);
  return undefined;
}

function isHttpError(code: number): boolean {
  return code >= 400 && code <= 599;
}

/**
 * A decline's code and message, wherever the provider put it: a unified or operation code in
 * `meta.code` (when it is not the HTTP status), an operation `errors[]` list, or the transaction's
 * `unified_error_code` in `data`.
 */
function declineOf(envelope: PbEnvelope, httpStatus: number): { code: string; message?: string } | undefined {
  const operationErrors = pbOperationErrorsSchema.safeParse(envelope.errors);
  if (operationErrors.success) {
    for (const error of operationErrors.data) {
      const code = numericCode(error.code);
      if (code !== undefined && code !== 0 && code !== 1) {
        return { code: String(code), ...(error.message?.trim() ? { message: error.message.trim() } : {}) };
      }
    }
  }
  const data = envelope.data;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const fields = data as Record<string, unknown>;
    const code = numericCode(fields.unified_error_code as number | string | null | undefined);
    const message = fields.unified_error_message;
    if (code !== undefined && code !== 0) {
      return {
        code: String(code),
        ...(typeof message === 'string' && message.trim() ? { message: message.trim() } : {}),
      };
    }
  }
  const metaCode = numericCode(envelope.meta.code);
  if (metaCode === undefined || metaCode === httpStatus || metaCode === 0 || metaCode === 200)
    return undefined;
  const unified = (unifiedErrorCodes as readonly number[]).includes(metaCode);
  const operation = metaCode >= 28100 && metaCode <= 28999;
  if (unified || operation || !isHttpError(metaCode)) {
    const message = envelope.meta.message?.trim();
    return { code: String(metaCode), ...(message ? { message } : {}) };
  }
  return undefined;
}

function validationFields(errors: unknown): { path: string; message: string }[] | undefined {
  const parsed = pbValidationErrorsSchema.safeParse(errors);
  if (!parsed.success) return undefined;
  const fields = Object.entries(parsed.data).flatMap(([path, messages]) =>
    messages.map((message) => ({ path, message })),
  );
  return fields.length > 0 ? fields : undefined;
}

function kindOfStatus(status: number): ProviderErrorKind | undefined {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 409) return 'duplicate';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return 'invalid_request';
  return undefined;
}

/**
 * Reads `{meta:{code, success, message}, errors}`: 401 → auth; 422 → invalid_request with Laravel's
 * fields, or duplicate when meta.reference_id "has already been taken"; unified (100…999) and
 * operation codes (28100–28999, processor codes) → declined; 404, 409, 429, 5xx by their status.
 */
export const readPaymentBookError: ErrorReader = ({ status, json, operation }) => {
  const parsed = pbEnvelopeSchema.safeParse(json);
  if (!parsed.success) return {};
  const envelope = parsed.data;
  const metaCode = numericCode(envelope.meta.code);
  // A 2xx carrying `success: false` says its real status in meta.code.
  const effective = isHttpError(status)
    ? status
    : metaCode !== undefined && isHttpError(metaCode)
      ? metaCode
      : status;
  const providerMessage = envelope.meta.message?.trim() || undefined;
  const fields = validationFields(envelope.errors);
  const providerCode = String(metaCode ?? effective);

  if (effective === 401 || effective === 403) {
    return { kind: 'auth', message: `${operation}: ${providerMessage ?? 'Unauthorized.'}`, providerCode };
  }
  if (effective === 422) {
    const taken = fields?.some(
      (field) =>
        field.path === 'meta.reference_id' &&
        /already (been )?taken|already exists|duplicate/i.test(field.message),
    );
    const first = fields?.[0]?.message;
    return {
      kind: taken ? 'duplicate' : 'invalid_request',
      message: `${operation}: ${[providerMessage ?? 'Validation Error.', first].filter(Boolean).join(' ')}`,
      providerCode,
      ...(fields ? { fields } : {}),
    };
  }
  const decline = declineOf(envelope, status);
  if (decline) {
    return {
      kind: 'declined',
      message: `${operation}: ${decline.message ?? providerMessage ?? `declined (${decline.code})`}`,
      providerCode: decline.code,
    };
  }
  const kind = kindOfStatus(effective) ?? 'invalid_request';
  return {
    kind,
    ...(providerMessage ? { message: `${operation}: ${providerMessage}` } : {}),
    providerCode,
    ...(fields ? { fields } : {}),
  };
};

// ---- the client -------------------------------------------------------------------------------------

export interface PbCall {
  /** Names the call in exchanges and errors. */
  operation: string;
  path: string;
  meta: PbMeta;
  payload?: Record<string, unknown>;
  /** Look-ups only: Payment Book's deduplication of creates is undocumented. */
  retrySafe: boolean;
}

export interface PbAnswer {
  data: unknown;
  message?: string;
  requestId?: string;
}

export class PaymentBookClient {
  readonly http: ProviderHttp;
  readonly credentials: PaymentBookCredentials;

  constructor(config: ConnectionConfig<PaymentBookCredentials>) {
    this.credentials = config.credentials;
    const tokenName = config.credentials.tokenName;
    this.http = new ProviderHttp({
      provider: PROVIDER,
      baseUrl: config.baseUrl,
      ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
      ...(config.retries !== undefined ? { retries: config.retries } : {}),
      authorize: (request) => request.headers.set(TOKEN_HEADER, tokenName),
      requestIdHeaders: ['x-request-id', 'x-correlation-id'],
      readError: readPaymentBookError,
      ...(config.onExchange ? { onExchange: config.onExchange } : {}),
    });
  }

  signedBody(meta: PbMeta, payload?: Record<string, unknown>): string {
    return buildSignedBody(this.credentials.tokenSecret, meta, payload);
  }

  /** A JSON call; resolves with `data` of a successful envelope, throws ProviderError otherwise. */
  async json(call: PbCall): Promise<PbAnswer> {
    const answer = await this.http.send({
      operation: call.operation,
      method: 'POST',
      path: call.path,
      body: this.signedBody(call.meta, call.payload),
      retrySafe: call.retrySafe,
    });
    const envelope = this.envelope(call, answer.body, answer.status, answer.requestId);
    const message = envelope.meta.message?.trim();
    return {
      data: envelope.data,
      ...(message ? { message } : {}),
      ...(answer.requestId ? { requestId: answer.requestId } : {}),
    };
  }

  /**
   * A call whose 200 answer is a file (the receipt PDF). Errors are JSON envelopes, told apart by
   * Content-Type; a JSON 200 is read as an envelope too, in case the provider says `success: false`.
   */
  async bytes(call: PbCall): Promise<{ bytes: Uint8Array; headers: Headers; contentType: string }> {
    const answer = await this.http.send({
      operation: call.operation,
      method: 'POST',
      path: call.path,
      body: this.signedBody(call.meta, call.payload),
      retrySafe: call.retrySafe,
      expect: 'bytes',
    });
    if (answer.body instanceof Uint8Array) {
      return { bytes: answer.body, headers: answer.headers, contentType: answer.contentType };
    }
    this.envelope(call, answer.body, answer.status, answer.requestId);
    throw this.failure(call, answer.status, answer.requestId, {
      kind: call.retrySafe ? 'schema' : 'unknown_outcome',
      message: `${call.operation}: the provider answered JSON where a file was expected`,
    });
  }

  private envelope(call: PbCall, body: unknown, status: number, requestId: string | undefined): PbEnvelope {
    const parsed = pbEnvelopeSchema.safeParse(body);
    if (!parsed.success) {
      throw this.failure(call, status, requestId, {
        kind: call.retrySafe ? 'schema' : 'unknown_outcome',
        message: `${call.operation}: the provider's answer has no {meta} envelope`,
      });
    }
    if (parsed.data.meta.success === false) {
      const read = readPaymentBookError({ status, json: body, operation: call.operation });
      const kind = read.kind ?? 'invalid_request';
      throw this.failure(call, status, requestId, {
        kind,
        message: read.message ?? `${call.operation}: the provider refused the request`,
        ...(read.providerCode ? { providerCode: read.providerCode } : {}),
        ...(read.fields ? { fields: read.fields } : {}),
        retrySafe: call.retrySafe || kind === 'rate_limited' || kind === 'auth' || kind === 'invalid_request',
      });
    }
    return parsed.data;
  }

  private failure(
    call: PbCall,
    status: number,
    requestId: string | undefined,
    details: Omit<ProviderErrorDetails, 'provider' | 'retrySafe' | 'httpStatus'> & { retrySafe?: boolean },
  ): ProviderError {
    return new ProviderError({
      provider: PROVIDER,
      httpStatus: status,
      retrySafe: call.retrySafe,
      ...(requestId ? { providerRequestId: requestId } : {}),
      ...details,
    });
  }
}
