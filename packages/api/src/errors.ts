import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

/**
 * The closed set of failures a service may report. Each has a tRPC code (and so an HTTP status) in one
 * exhaustive table, and a message written for the person using Paydesk.
 */
export type AppErrorCode =
  | 'unauthenticated'
  | 'session_expired'
  | 'forbidden'
  | 'csrf_header_missing'
  | 'invalid_credentials'
  | 'sign_in_locked'
  | 'invalid_code'
  | 'invalid_setup_link'
  | 'wrong_sign_in_stage'
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'self_action_refused'
  | 'provider_failed';

const trpcCodes: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  unauthenticated: 'UNAUTHORIZED',
  session_expired: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  csrf_header_missing: 'FORBIDDEN',
  invalid_credentials: 'UNAUTHORIZED',
  sign_in_locked: 'TOO_MANY_REQUESTS',
  invalid_code: 'BAD_REQUEST',
  invalid_setup_link: 'BAD_REQUEST',
  wrong_sign_in_stage: 'CONFLICT',
  validation_failed: 'BAD_REQUEST',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  self_action_refused: 'FORBIDDEN',
  provider_failed: 'BAD_GATEWAY',
};

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    /** Shown to the user as it is: never a secret, a stack or a provider's body. */
    readonly userMessage: string,
    readonly fields?: FieldError[],
  ) {
    super(userMessage);
  }

  toTRPCError(): TRPCError {
    return new TRPCError({ code: trpcCodes[this.code], message: this.userMessage, cause: this });
  }
}

export function fieldError(path: string, message: string): AppError {
  return new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);
}
