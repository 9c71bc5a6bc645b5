import { readAppError, type AppErrorInfo } from '../../lib/app-error.ts';
import { toast } from '../../lib/toasts.ts';
import { setMe } from '../../lib/trpc.ts';

/**
 * A step's failure: a 401 here means the half-signed-in session expired, so sign-in starts over with
 * the server's explanation; anything else stays on the step, beside the field.
 */
export function stepFailure(error: unknown): void {
  const info = readAppError(error);
  if (info.trpcCode === 'UNAUTHORIZED') {
    toast('info', info.userMessage);
    setMe({ state: 'signed_out' });
  }
}

export function failureOf(error: unknown): AppErrorInfo | null {
  return error ? readAppError(error) : null;
}
