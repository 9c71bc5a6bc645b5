import type { FastifyInstance } from 'fastify';
import { AppError, downloadReceipt, type AppErrorCode, type Deps } from '@paydesk/api';
import { contextFor } from './request-context.ts';

const statusOf: Record<AppErrorCode, number> = {
  unauthenticated: 401,
  session_expired: 401,
  forbidden: 403,
  csrf_header_missing: 403,
  invalid_credentials: 401,
  sign_in_locked: 429,
  invalid_code: 400,
  invalid_setup_link: 400,
  wrong_sign_in_stage: 409,
  validation_failed: 400,
  not_found: 404,
  conflict: 409,
  self_action_refused: 403,
  provider_failed: 502,
};

/**
 * `GET /receipts/<transaction id>.pdf[?operation=<operation id>]`: a receipt the browser saves,
 * authorised by the same permission check as procedures (`receipt.download`; refusals audited). The
 * file is Payment Book's own PDF, passed through, or one Paydesk draws for the other providers.
 */
export function registerReceipts(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { file: string }; Querystring: { operation?: unknown } }>(
    '/receipts/:file',
    async (request, reply) => {
      const ctx = await contextFor(deps, request, reply);
      const transactionId = /^(.+)\.pdf$/i.exec(request.params.file)?.[1] ?? '';
      const operation = request.query.operation;
      let receipt;
      try {
        receipt = await downloadReceipt(ctx, {
          transactionId,
          // A repeated parameter is no operation id: refused as such rather than silently ignored.
          operation: operation === undefined || typeof operation === 'string' ? operation : '',
        });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return reply
          .code(statusOf[error.code])
          .header('cache-control', 'no-store')
          .send({ code: error.code, userMessage: error.userMessage, requestId: request.id });
      }
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${receipt.filename}"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(receipt.pdf));
    },
  );
}
