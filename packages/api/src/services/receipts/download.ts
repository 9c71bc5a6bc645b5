/**
 * Receipt downloads (`GET /receipts/<transaction id>.pdf?operation=<id>` in the BFF), authorised by
 * the same permission check as procedures. A provider that issues receipts (Payment Book) is asked for
 * its PDF, passed through as it is; for the others Paydesk renders its own from the ledger. Every
 * download is audited, with the provider call (if any) on the transaction's timeline in the same
 * database transaction.
 */
import { performance } from 'node:perf_hooks';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { connections, operations, timelineEvents, transactions } from '@paydesk/db/schema';
import { isCurrencyCode, providerCapabilities, providerLabels, type ProviderName } from '@paydesk/domain';
import { isProviderError, type ProviderAdapter } from '@paydesk/providers';
import { requirePermission } from '../../access.ts';
import type { Context } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { actorOf, writeAudit } from '../audit.ts';
import { adapterFor, type ConnectionRow } from '../connections/adapters.ts';
import { getMerchantProfile } from '../merchant-profile.ts';
import { providerFailureMessage } from '../provider-messages.ts';
import { receiptTitle, renderReceiptPdf } from './render.ts';

export interface ReceiptFile {
  filename: string;
  pdf: Uint8Array;
  /** Who drew it: the provider's own receipt, or Paydesk's. */
  source: 'provider' | 'paydesk';
}

export interface ReceiptRequest {
  transactionId: string;
  /** A Paydesk operation id (UUID) or the provider's id of the operation; default: the charge. */
  operation?: string | undefined;
}

const action = 'receipt.download';
const uuid = z.string().uuid();
/** Operations a receipt is usually wanted for when none is named: the charge itself. */
const charges = new Set(['payment', 'subscription']);

type OperationRow = typeof operations.$inferSelect;

/** Letters, digits, dot, dash and underscore only, so the header can never be broken out of. */
function safePart(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[.-]+|[.-]+$/g, '')
      .slice(0, 64) || 'x'
  );
}

export function receiptFilename(provider: ProviderName, reference: string, operationId: string): string {
  return `receipt-${safePart(provider)}-${safePart(reference)}-${safePart(operationId)}.pdf`;
}

function pickOperation(rows: OperationRow[], wanted: string | undefined): OperationRow | undefined {
  if (wanted) {
    const byId = uuid.safeParse(wanted).success ? rows.find((row) => row.id === wanted) : undefined;
    return byId ?? rows.find((row) => row.providerId === wanted);
  }
  const succeeded = rows.filter((row) => row.status === 'succeeded');
  return succeeded.findLast((row) => charges.has(row.type)) ?? succeeded.at(-1);
}

export async function downloadReceipt(
  ctx: Context,
  request: ReceiptRequest,
  options: { adapter?: (row: ConnectionRow) => ProviderAdapter } = {},
): Promise<ReceiptFile> {
  const auth = await requirePermission(ctx, 'receipt.download', action, true);
  const actor = actorOf(ctx.request, auth);
  const notFound = new AppError('not_found', 'There is no transaction with this id.');
  if (!uuid.safeParse(request.transactionId).success) throw notFound;
  if (request.operation !== undefined && (request.operation === '' || request.operation.length > 200)) {
    throw new AppError('validation_failed', 'operation: an operation id', [
      { path: 'operation', message: 'an operation id' },
    ]);
  }

  const [row] = await ctx.db
    .select({ transaction: transactions, connection: connections })
    .from(transactions)
    .innerJoin(connections, eq(connections.id, transactions.connectionId))
    .where(eq(transactions.id, request.transactionId));
  if (!row) throw notFound;
  const { transaction, connection } = row;
  const label = providerLabels[connection.provider];
  const audit = { action, targetType: 'transaction', targetId: transaction.id } as const;

  const refuse = async (code: 'conflict' | 'not_found', message: string): Promise<never> => {
    await writeAudit(ctx.db, actor, { ...audit, result: 'denied', reason: message }, ctx.clock.now());
    throw new AppError(code, message);
  };

  const rows = await ctx.db
    .select()
    .from(operations)
    .where(eq(operations.transactionId, transaction.id))
    .orderBy(asc(operations.providerCreatedAt), asc(operations.createdAt));
  const operation = pickOperation(rows, request.operation);
  if (!operation) {
    return refuse(
      request.operation ? 'not_found' : 'conflict',
      request.operation
        ? 'This transaction has no operation with this id.'
        : `This ${transaction.kind} has no successful operation: a receipt is issued for a payment or refund that succeeded.`,
    );
  }
  const filename = receiptFilename(connection.provider, transaction.reference, operation.providerId);
  const by = actor.email ?? 'system';
  const downloaded = (source: ReceiptFile['source'], extra: Record<string, unknown>) => ({
    transactionId: transaction.id,
    at: ctx.clock.now(),
    type: 'receipt_downloaded',
    source: 'user',
    summary: `Receipt of the ${operation.type} ${operation.providerId} downloaded by ${by} (${source === 'provider' ? `${label}’s own` : 'drawn by Paydesk'})`,
    details: { by, operation: operation.providerId, source, ...extra },
  });

  if (providerCapabilities[connection.provider].receipt) {
    if (!connection.enabled) {
      return refuse(
        'conflict',
        `The connection “${connection.name}” is disabled: enable it in Settings → Connections to fetch ${label}’s receipts.`,
      );
    }
    const adapter = options.adapter ? options.adapter(connection) : adapterFor(ctx.secrets, connection);
    const started = performance.now();
    let pdf: Uint8Array | undefined;
    let failure: unknown;
    try {
      pdf = (await adapter.fetchReceipt(operation.providerId)).pdf;
    } catch (error) {
      if (!isProviderError(error)) throw error;
      failure = error;
    }
    const latencyMs = Math.round(performance.now() - started);
    if (!pdf) {
      const refused = isProviderError(failure) && failure.kind === 'invalid_request';
      const message = refused
        ? `${label} has no receipt for this ${operation.type}: ${providerFailureMessage(failure)} It issues receipts only for operations that succeeded.`
        : `${label}’s receipt could not be fetched: ${providerFailureMessage(failure)}`;
      const now = ctx.clock.now();
      await ctx.db.transaction(async (tx) => {
        await tx.insert(timelineEvents).values({
          transactionId: transaction.id,
          at: now,
          type: 'provider_call',
          source: 'user',
          summary: `Fetching the receipt failed after ${latencyMs} ms: ${message}`,
          details: {
            call: 'fetchReceipt',
            latencyMs,
            outcome: 'failed',
            by,
            operation: operation.providerId,
            ...(isProviderError(failure)
              ? {
                  kind: failure.kind,
                  ...(failure.httpStatus ? { httpStatus: failure.httpStatus } : {}),
                  ...(failure.providerRequestId ? { providerRequestId: failure.providerRequestId } : {}),
                }
              : {}),
          },
        });
        await writeAudit(tx, actor, { ...audit, result: 'failure', reason: message }, now);
      });
      throw new AppError('provider_failed', message);
    }
    const file = pdf;
    await ctx.db.transaction(async (tx) => {
      await tx
        .insert(timelineEvents)
        .values(downloaded('provider', { call: 'fetchReceipt', latencyMs, outcome: 'ok' }));
      await writeAudit(
        tx,
        actor,
        {
          ...audit,
          result: 'success',
          after: { operation: operation.providerId, source: 'provider', filename, bytes: file.byteLength },
        },
        ctx.clock.now(),
      );
    });
    return { filename, pdf: file, source: 'provider' };
  }

  if (operation.status !== 'succeeded') {
    return refuse(
      'conflict',
      `A receipt is issued only for an operation that succeeded; this ${operation.type} is ${operation.status}.`,
    );
  }
  if (!isCurrencyCode(operation.currency) || !isCurrencyCode(transaction.currency)) {
    return refuse('conflict', `Paydesk cannot write amounts in ${operation.currency}.`);
  }
  const profile = await getMerchantProfile(ctx.db);
  const issuedAt = ctx.clock.now();
  const pdf = await renderReceiptPdf({
    merchant: profile,
    title: receiptTitle(operation.type),
    provider: connection.provider,
    amount: { amountMinor: operation.amountMinor, currency: operation.currency },
    ...(operation.type === 'refund'
      ? { originalAmount: { amountMinor: transaction.amountMinor, currency: transaction.currency } }
      : {}),
    status: operation.type === 'refund' ? 'Refunded' : operation.type === 'payout' ? 'Paid out' : 'Paid',
    occurredAt:
      operation.providerUpdatedAt ??
      operation.providerCreatedAt ??
      transaction.providerCreatedAt ??
      transaction.occurredAt,
    issuedAt,
    card: { bin: transaction.cardBin, last4: transaction.cardLast4, brand: transaction.cardBrand },
    customer: { email: transaction.customerEmail, name: transaction.customerName },
    method: transaction.method,
    references: {
      paydeskId: transaction.id,
      providerId: transaction.providerId,
      merchantReference: transaction.reference,
      operationId: operation.providerId,
    },
  });
  await ctx.db.transaction(async (tx) => {
    await tx.insert(timelineEvents).values(downloaded('paydesk', {}));
    await writeAudit(
      tx,
      actor,
      {
        ...audit,
        result: 'success',
        after: { operation: operation.providerId, source: 'paydesk', filename, bytes: pdf.byteLength },
      },
      issuedAt,
    );
  });
  return { filename, pdf, source: 'paydesk' };
}
