import { initTRPC, type TRPCError } from '@trpc/server';
import type { Permission } from '@paydesk/domain';
import { auditRefusal, requirePermission, requireSignedIn } from './access.ts';
import type { AuthState, Context, SessionStage } from './context.ts';
import { AppError, type AppErrorCode, type FieldError } from './errors.ts';

/**
 * Who may call a procedure. Every procedure declares one (the permission-matrix test fails on a
 * procedure without it): `public`, `sign-in` (a session part-way through sign-in), `authenticated`
 * (any signed-in user, for their own things), or a permission from packages/domain.
 */
export type Access = 'public' | 'sign-in' | 'authenticated' | Permission;
export interface ProcedureMeta {
  access?: Access;
}

export interface AppErrorData {
  code: AppErrorCode | 'internal' | 'bad_request' | 'not_found' | 'rate_limited';
  userMessage: string;
  requestId: string;
  fields?: FieldError[];
}

function issuesOf(cause: unknown): FieldError[] | null {
  if (!cause || typeof cause !== 'object' || !('issues' in cause) || !Array.isArray(cause.issues))
    return null;
  return (cause.issues as { path?: PropertyKey[]; message: string }[]).map((issue) => ({
    path: (issue.path ?? []).map(String).join('.') || '(input)',
    message: issue.message,
  }));
}

function appErrorData(error: TRPCError, requestId: string): AppErrorData {
  if (error.cause instanceof AppError) {
    const { code, userMessage, fields } = error.cause;
    return { code, userMessage, requestId, ...(fields ? { fields } : {}) };
  }
  const fields = error.code === 'BAD_REQUEST' ? issuesOf(error.cause) : null;
  if (fields) {
    const userMessage = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
    return { code: 'validation_failed', userMessage, requestId, fields };
  }
  switch (error.code) {
    case 'NOT_FOUND':
      return { code: 'not_found', userMessage: 'Not found.', requestId };
    case 'BAD_REQUEST':
    case 'UNSUPPORTED_MEDIA_TYPE':
    case 'PARSE_ERROR':
    case 'PAYLOAD_TOO_LARGE':
    case 'METHOD_NOT_SUPPORTED':
      return { code: 'bad_request', userMessage: 'The request was not understood.', requestId };
    case 'TOO_MANY_REQUESTS':
      return {
        code: 'rate_limited',
        userMessage: 'Too many requests: wait a moment and try again.',
        requestId,
      };
    default:
      return {
        code: 'internal',
        userMessage: `Something went wrong on our side. If it persists, quote request id ${requestId}.`,
        requestId,
      };
  }
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // The browser gets a code, a message meant for people and the request id; never a stack, a cause
    // or a provider's body.
    errorFormatter({ shape, error, ctx }) {
      const appError = appErrorData(error, ctx?.request.requestId ?? 'unknown');
      return {
        code: shape.code,
        message: appError.userMessage,
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, appError },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Services throw AppError; this turns them into tRPC errors, and refuses mutations without the CSRF header. */
const baseProcedure = t.procedure.use(async ({ ctx, type, path, next }) => {
  if (type === 'mutation' && !ctx.request.csrfHeader) {
    await auditRefusal(ctx, path, 'csrf_header_missing');
    throw new AppError(
      'csrf_header_missing',
      'This request was refused: it did not come from the Paydesk app.',
    ).toTRPCError();
  }
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    return { ...result, error: result.error.cause.toTRPCError() };
  }
  return result;
});

export const publicProcedure = baseProcedure.meta({ access: 'public' });

/** A session that has proved the password but still has a step to do (new password, 2FA). */
export function signInStepProcedure(stages: readonly SessionStage[]) {
  return baseProcedure.meta({ access: 'sign-in' }).use(({ ctx, next }) => {
    if (!ctx.auth)
      throw new AppError('unauthenticated', 'Your sign-in has expired: please start again.').toTRPCError();
    if (!stages.includes(ctx.auth.stage)) {
      throw new AppError('wrong_sign_in_stage', 'That step of sign-in is not the current one.').toTRPCError();
    }
    return next({ ctx: { auth: ctx.auth } });
  });
}

function signedIn(auth: AuthState | null): AuthState {
  try {
    return requireSignedIn(auth);
  } catch (error) {
    throw error instanceof AppError ? error.toTRPCError() : error;
  }
}

export const authedProcedure = baseProcedure
  .meta({ access: 'authenticated' })
  .use(({ ctx, next }) => next({ ctx: { auth: signedIn(ctx.auth) } }));

/** The one place roles are checked for procedures. A refused mutation is audited. */
export function permissionProcedure(permission: Permission) {
  return baseProcedure.meta({ access: permission }).use(async ({ ctx, type, path, next }) => {
    try {
      const auth = await requirePermission(ctx, permission, path, type === 'mutation');
      return await next({ ctx: { auth } });
    } catch (error) {
      throw error instanceof AppError ? error.toTRPCError() : error;
    }
  });
}
