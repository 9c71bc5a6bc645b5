/**
 * Reads the error shape the API's error formatter gives the browser. Done structurally rather than
 * with `instanceof TRPCClientError` so it also works for errors that crossed a realm or were rebuilt
 * by TanStack Query, and so it can be tested without a client.
 */

export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorInfo {
  /** The tRPC code (UNAUTHORIZED, FORBIDDEN, …), or null for a network failure. */
  trpcCode: string | null;
  httpStatus: number | null;
  code: string;
  userMessage: string;
  requestId: string | null;
  fields: FieldError[];
}

const networkMessage = 'Paydesk could not be reached. Check your connection and try again.';

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
}

function fieldsOf(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const f = record(item);
    return f && typeof f.path === 'string' && typeof f.message === 'string'
      ? [{ path: f.path, message: f.message }]
      : [];
  });
}

export function readAppError(error: unknown): AppErrorInfo {
  const data = record(record(error)?.data);
  const appError = record(data?.appError);
  const trpcCode = typeof data?.code === 'string' ? data.code : null;
  const httpStatus = typeof data?.httpStatus === 'number' ? data.httpStatus : null;
  if (appError && typeof appError.userMessage === 'string') {
    return {
      trpcCode,
      httpStatus,
      code: typeof appError.code === 'string' ? appError.code : 'internal',
      userMessage: appError.userMessage,
      requestId: typeof appError.requestId === 'string' ? appError.requestId : null,
      fields: fieldsOf(appError.fields),
    };
  }
  if (trpcCode) {
    return {
      trpcCode,
      httpStatus,
      code: 'internal',
      userMessage: 'Something went wrong on our side.',
      requestId: null,
      fields: [],
    };
  }
  return {
    trpcCode: null,
    httpStatus: null,
    code: 'network',
    userMessage: networkMessage,
    requestId: null,
    fields: [],
  };
}

export const isUnauthorized = (error: unknown): boolean => readAppError(error).trpcCode === 'UNAUTHORIZED';
export const isForbidden = (error: unknown): boolean => readAppError(error).trpcCode === 'FORBIDDEN';

/** The message for one form field, matched on the last segment of the path ("input.email" → "email"). */
export function fieldMessage(info: AppErrorInfo | null, field: string): string | undefined {
  return info?.fields.find((f) => f.path === field || f.path.endsWith(`.${field}`))?.message;
}

/** Whether an error is worth retrying: the network or the server, never a refusal. */
export function isRetryable(error: unknown): boolean {
  const { trpcCode, httpStatus } = readAppError(error);
  if (trpcCode === null) return true;
  return httpStatus !== null && httpStatus >= 500;
}
