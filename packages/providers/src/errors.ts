/**
 * Every failure of a provider call becomes one ProviderError, whatever the provider's dialect. Callers
 * branch on `kind` and on `retrySafe`; `providerRequestId` is kept for support tickets with the provider.
 */
export type ProviderErrorKind =
  | 'auth'
  | 'invalid_request'
  | 'declined'
  | 'rate_limited'
  | 'duplicate'
  | 'not_found'
  | 'unavailable'
  | 'network'
  | 'timeout'
  /** A mutation whose answer was lost (timeout, non-2xx without a body): settle it by a look-up. */
  | 'unknown_outcome'
  /** The provider answered 2xx with something our schema does not accept. */
  | 'schema';

export interface ProviderErrorDetails {
  kind: ProviderErrorKind;
  /** Safe to show to staff: never a credential, never the provider's raw body. */
  message: string;
  provider: string;
  /** The provider's own error code (`1004`, `422`, `28100`…), when it gave one. */
  providerCode?: string;
  providerRequestId?: string;
  httpStatus?: number;
  /** Whether sending the same request again cannot move money twice. */
  retrySafe: boolean;
  /** Seconds, from Retry-After. */
  retryAfterSeconds?: number;
  /** Field-level validation problems the provider reported. */
  fields?: { path: string; message: string }[];
  /** For `duplicate`: the earlier object the provider returned (Paytone 409), already parsed. */
  existing?: unknown;
}

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly kind: ProviderErrorKind;
  readonly provider: string;
  readonly providerCode: string | undefined;
  readonly providerRequestId: string | undefined;
  readonly httpStatus: number | undefined;
  readonly retrySafe: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly fields: { path: string; message: string }[] | undefined;
  readonly existing: unknown;

  constructor(details: ProviderErrorDetails, options?: { cause?: unknown }) {
    super(details.message, options);
    this.kind = details.kind;
    this.provider = details.provider;
    this.providerCode = details.providerCode;
    this.providerRequestId = details.providerRequestId;
    this.httpStatus = details.httpStatus;
    this.retrySafe = details.retrySafe;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.fields = details.fields;
    this.existing = details.existing;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
