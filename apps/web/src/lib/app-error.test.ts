import { describe, expect, it } from 'vitest';
import { fieldMessage, isRetryable, isUnauthorized, readAppError } from './app-error.ts';

const trpcError = (code: string, httpStatus: number, appError?: unknown) => ({
  message: 'x',
  data: { code, httpStatus, path: 'user.create', appError },
});

describe('readAppError', () => {
  it('reads the formatter’s appError', () => {
    const info = readAppError(
      trpcError('BAD_REQUEST', 400, {
        code: 'validation_failed',
        userMessage: 'email: must be an e-mail address',
        requestId: 'req-1',
        fields: [{ path: 'email', message: 'must be an e-mail address' }, { bogus: true }],
      }),
    );
    expect(info).toEqual({
      trpcCode: 'BAD_REQUEST',
      httpStatus: 400,
      code: 'validation_failed',
      userMessage: 'email: must be an e-mail address',
      requestId: 'req-1',
      fields: [{ path: 'email', message: 'must be an e-mail address' }],
    });
    expect(fieldMessage(info, 'email')).toBe('must be an e-mail address');
    expect(fieldMessage(info, 'name')).toBeUndefined();
  });

  it('treats anything without tRPC data as a network failure', () => {
    const info = readAppError(new TypeError('Failed to fetch'));
    expect(info.trpcCode).toBeNull();
    expect(info.code).toBe('network');
    expect(isRetryable(new TypeError('Failed to fetch'))).toBe(true);
  });

  it('classifies refusals', () => {
    expect(isUnauthorized(trpcError('UNAUTHORIZED', 401))).toBe(true);
    expect(isRetryable(trpcError('FORBIDDEN', 403))).toBe(false);
    expect(isRetryable(trpcError('INTERNAL_SERVER_ERROR', 500))).toBe(true);
  });

  it('matches nested field paths on their last segment', () => {
    const info = readAppError(
      trpcError('BAD_REQUEST', 400, {
        code: 'validation_failed',
        userMessage: 'x',
        requestId: 'r',
        fields: [{ path: 'input.name', message: 'is required' }],
      }),
    );
    expect(fieldMessage(info, 'name')).toBe('is required');
  });
});
