import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AppError, exportAuditCsv, type Deps } from '@paydesk/api';
import { contextFor } from './request-context.ts';

const statusOf = (error: AppError): number =>
  error.code === 'unauthenticated'
    ? 401
    : error.code === 'forbidden'
      ? 403
      : error.code === 'validation_failed'
        ? 400
        : 500;

/** File downloads: plain GETs the browser saves, authorised by the same checks as procedures. */
export function registerDownloads(app: FastifyInstance, deps: Deps): void {
  app.get('/exports/audit.csv', async (request, reply) => {
    const ctx = await contextFor(deps, request, reply);
    try {
      const { filename, lines } = await exportAuditCsv(ctx, request.query as Record<string, unknown>);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(lines));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return reply
        .code(statusOf(error))
        .send({ code: error.code, userMessage: error.userMessage, requestId: request.id });
    }
  });
}
