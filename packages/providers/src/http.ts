/**
 * The HTTP layer every adapter uses: one `ky` instance per connection with explicit timeouts, auth in a
 * hook, retries only for calls that are safe to repeat (honouring Retry-After), the provider's request
 * id kept, and every failure turned into a ProviderError. A mutation whose answer is lost (timeout,
 * reset connection, non-2xx without a body, 5xx, 2xx garbage) is `unknown_outcome`: the caller settles
 * it by a look-up, never by sending it again blindly.
 */
import { z } from 'zod';
import ky, { HTTPError, TimeoutError, type KyInstance } from 'ky';
import type { ProviderName } from '@paydesk/domain';
import type { ProviderExchange } from './adapter.ts';
import { ProviderError, type ProviderErrorDetails, type ProviderErrorKind } from './errors.ts';

export interface HttpCall {
  /** Names the call in exchanges and errors, e.g. `refund`, `lookup`. */
  operation: string;
  method: 'GET' | 'POST';
  /** Path under the connection's base URL, starting with `/`. */
  path: string;
  /** A JSON text sent as is (Payment Book signs the exact bytes). */
  body?: string;
  searchParams?: Record<string, string>;
  headers?: Record<string, string>;
  /** Look-ups, and creates whose reference the provider deduplicates: may be retried. */
  retrySafe: boolean;
  /**
   * Changes something at the provider, so a lost answer is `unknown_outcome`. Defaults to
   * `!retrySafe`; a deduplicated create is both retry-safe and a mutation.
   */
  mutation?: boolean;
  /** `bytes` for PDFs: the body is returned raw (errors are still parsed as JSON). */
  expect?: 'json' | 'bytes';
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON (`expect: 'json'`) or raw bytes (`expect: 'bytes'`). */
  body: unknown;
  contentType: string;
  requestId?: string;
}

/** What a provider's error envelope says, read by the adapter (codes, fields, a better kind). */
export type ErrorReader = (answer: {
  status: number;
  json: unknown;
  operation: string;
}) => Partial<Pick<ProviderErrorDetails, 'kind' | 'message' | 'providerCode' | 'fields' | 'existing'>>;

export interface HttpOptions {
  provider: ProviderName;
  baseUrl: string;
  timeoutMs?: number;
  retries?: number;
  /** Adds credentials to a request (a header, HTTP Basic). */
  authorize: (request: Request) => void;
  /** Response headers that carry the provider's request id, in order of preference. */
  requestIdHeaders?: string[];
  readError: ErrorReader;
  onExchange?: (exchange: ProviderExchange) => void;
}

const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function defaultKind(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 409) return 'duplicate';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'invalid_request';
}

async function readBody(response: Response, timeoutMs: number): Promise<Uint8Array | 'stalled'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'stalled'>((resolve) => {
    timer = setTimeout(() => resolve('stalled'), timeoutMs);
  });
  try {
    const read = response.arrayBuffer().then(
      (buffer) => new Uint8Array(buffer),
      () => new Uint8Array(0),
    );
    const result = await Promise.race([read, deadline]);
    if (result === 'stalled') await response.body?.cancel().catch(() => undefined);
    return result;
  } finally {
    clearTimeout(timer);
  }
}

export class ProviderHttp {
  private readonly client: KyInstance;
  private readonly base: string;

  constructor(private readonly options: HttpOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.client = ky.create({
      throwHttpErrors: false,
      hooks: { beforeRequest: [(request) => options.authorize(request)] },
    });
  }

  private requestIdOf(headers: Headers): string | undefined {
    for (const name of this.options.requestIdHeaders ?? ['x-request-id']) {
      const value = headers.get(name);
      if (value) return value.slice(0, 200);
    }
    return undefined;
  }

  private report(
    call: HttpCall,
    started: number,
    attempt: number,
    status: number | null,
    outcome: ProviderExchange['outcome'],
    requestId?: string,
  ) {
    this.options.onExchange?.({
      provider: this.options.provider,
      operation: call.operation,
      method: call.method,
      path: call.path,
      httpStatus: status,
      durationMs: Math.round(performance.now() - started),
      outcome,
      attempt,
      ...(requestId ? { providerRequestId: requestId } : {}),
    });
  }

  private fail(
    call: HttpCall,
    details: Omit<ProviderErrorDetails, 'provider' | 'retrySafe'> & { retrySafe?: boolean },
    cause?: unknown,
  ): ProviderError {
    return new ProviderError(
      { provider: this.options.provider, retrySafe: details.retrySafe ?? call.retrySafe, ...details },
      { cause },
    );
  }

  async send(call: HttpCall): Promise<HttpAnswer> {
    const maxAttempts = call.retrySafe ? 1 + (this.options.retries ?? 2) : 1;
    const timeout = this.options.timeoutMs ?? (call.method === 'GET' ? 15_000 : 30_000);
    const mutation = call.mutation ?? !call.retrySafe;
    let lastError: ProviderError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const started = performance.now();
      const error = await this.attempt(call, timeout, mutation).then(
        (answer) => {
          this.report(call, started, attempt, answer.status, 'ok', answer.requestId);
          return answer;
        },
        (failure: unknown) => {
          // Only ProviderErrors are answers to retry or report; anything else is a bug to surface.
          if (!(failure instanceof ProviderError)) throw failure;
          this.report(
            call,
            started,
            attempt,
            failure.httpStatus ?? null,
            failure.kind,
            failure.providerRequestId,
          );
          return failure;
        },
      );
      if (!(error instanceof ProviderError)) return error;
      lastError = error;
      const retryable =
        attempt < maxAttempts &&
        (['timeout', 'network', 'unavailable', 'rate_limited', 'schema'].includes(error.kind) ||
          // A deduplicated create whose answer was lost: sending it again is how it is settled.
          (call.retrySafe && error.kind === 'unknown_outcome') ||
          (error.httpStatus !== undefined && RETRY_STATUSES.includes(error.httpStatus)));
      if (!retryable) break;
      const waitSeconds = error.retryAfterSeconds ?? 0.2 * 2 ** (attempt - 1);
      if (waitSeconds > 30) break;
      await new Promise((resolve) => setTimeout(resolve, waitSeconds * 1000));
    }
    throw lastError!;
  }

  private async attempt(call: HttpCall, timeout: number, mutation: boolean): Promise<HttpAnswer> {
    const url = `${this.base}${call.path}`;
    let response: Response;
    try {
      response = await this.client(url, {
        method: call.method,
        timeout,
        retry: 0,
        headers: {
          accept: 'application/json',
          ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...call.headers,
        },
        ...(call.body !== undefined ? { body: call.body } : {}),
        ...(call.searchParams ? { searchParams: call.searchParams } : {}),
      });
    } catch (error) {
      if (error instanceof TimeoutError) {
        throw this.fail(
          call,
          {
            kind: mutation ? 'unknown_outcome' : 'timeout',
            message: `${call.operation}: the provider did not answer within ${timeout} ms`,
          },
          error,
        );
      }
      if (error instanceof HTTPError) throw error;
      const code = (error as { cause?: { code?: string } }).cause?.code;
      // A refused connection never reached the provider; anything else may have.
      const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
      throw this.fail(
        call,
        {
          kind: mutation && !neverSent ? 'unknown_outcome' : 'network',
          message: `${call.operation}: could not reach the provider (${code ?? 'network error'})`,
          retrySafe: call.retrySafe || neverSent,
        },
        error,
      );
    }

    const requestId = this.requestIdOf(response.headers);
    const contentType = response.headers.get('content-type') ?? '';
    // ky's timeout ends when the headers arrive; a body that stalls halfway gets the same deadline.
    const body = await readBody(response, timeout);
    if (body === 'stalled') {
      throw this.fail(call, {
        httpStatus: response.status,
        ...(requestId ? { providerRequestId: requestId } : {}),
        kind: mutation ? 'unknown_outcome' : 'timeout',
        message: `${call.operation}: the provider's answer stalled for ${timeout} ms`,
      });
    }
    const bytes = body;
    const text = new TextDecoder().decode(bytes);
    let json: unknown;
    let jsonOk = false;
    if (text.trim() !== '' && !(response.ok && call.expect === 'bytes' && !contentType.includes('json'))) {
      try {
        json = JSON.parse(text);
        jsonOk = true;
      } catch {
        jsonOk = false;
      }
    }
    const base = { httpStatus: response.status, ...(requestId ? { providerRequestId: requestId } : {}) };

    if (response.ok) {
      if (call.expect === 'bytes' && !contentType.includes('json')) {
        return {
          status: response.status,
          headers: response.headers,
          body: bytes,
          contentType,
          ...(requestId ? { requestId } : {}),
        };
      }
      if (!jsonOk) {
        throw this.fail(call, {
          ...base,
          kind: mutation ? 'unknown_outcome' : 'schema',
          message: `${call.operation}: the provider answered ${response.status} with a body that is not JSON`,
        });
      }
      return {
        status: response.status,
        headers: response.headers,
        body: json,
        contentType,
        ...(requestId ? { requestId } : {}),
      };
    }

    const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
    const retryAfter = retryAfterSeconds !== undefined ? { retryAfterSeconds } : {};
    if (text.trim() === '' || !jsonOk) {
      // No provider envelope: the answer came from infrastructure in front of the provider.
      const lost = mutation && response.status !== 429 && response.status !== 401 && response.status !== 403;
      const kind = lost ? 'unknown_outcome' : defaultKind(response.status);
      throw this.fail(call, {
        ...base,
        ...retryAfter,
        kind,
        // 401/403/429 from the edge mean the request was not processed: sending it again is safe.
        retrySafe: call.retrySafe || kind === 'rate_limited' || kind === 'auth',
        message: `${call.operation}: the provider answered ${response.status} without a readable body`,
      });
    }
    const read = this.options.readError({ status: response.status, json, operation: call.operation });
    let kind = read.kind ?? defaultKind(response.status);
    // A server error on a mutation may come after the provider acted: settle by look-up.
    if (mutation && response.status >= 500 && kind === 'unavailable') kind = 'unknown_outcome';
    throw this.fail(call, {
      ...base,
      ...retryAfter,
      kind,
      message: read.message ?? `${call.operation}: the provider refused the request (${response.status})`,
      ...(read.providerCode ? { providerCode: read.providerCode } : {}),
      ...(read.fields ? { fields: read.fields } : {}),
      ...(read.existing !== undefined ? { existing: read.existing } : {}),
      retrySafe: call.retrySafe || kind === 'rate_limited' || kind === 'auth' || kind === 'invalid_request',
    });
  }
}

/**
 * Reads a 2xx answer through `decode`. A body that does not fit is `schema` for a look-up; for a
 * mutation the provider acted but its answer is unreadable, which is the same as a lost answer.
 */
export function decodeProviderAnswer<T>(
  provider: ProviderName,
  answer: HttpAnswer,
  call: { operation: string; mutation: boolean; retrySafe: boolean },
  decode: (body: unknown) => T,
): T {
  try {
    return decode(answer.body);
  } catch (error) {
    throw new ProviderError(
      {
        kind: call.mutation ? 'unknown_outcome' : 'schema',
        provider,
        message: `${call.operation}: ${describeDecodeError(error)}`,
        httpStatus: answer.status,
        ...(answer.requestId ? { providerRequestId: answer.requestId } : {}),
        retrySafe: call.retrySafe,
      },
      { cause: error },
    );
  }
}

export function describeDecodeError(error: unknown): string {
  if (error instanceof ProviderError) return error.message;
  if (error instanceof z.ZodError) {
    const paths = [...new Set(error.issues.map((issue) => issue.path.join('.') || '(body)'))].slice(0, 5);
    return `the answer does not match the documented object (${paths.join(', ')})`;
  }
  return 'the answer could not be read';
}
