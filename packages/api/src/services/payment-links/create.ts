/**
 * Payment links: a hosted payment page at the provider for an amount and a customer, whose URL staff
 * copy and send. The amount arrives as a decimal string and is converted exactly with the currency's
 * exponent (an inexact one is refused, never rounded). Every link carries the connection's inbound
 * webhook URL, so the provider tells Paydesk when the customer pays; the new payment is recorded in
 * the ledger at once (as the provider reports it right after creating it), with a timeline event
 * naming who created it and the audit row in the same database transaction.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@paydesk/db';
import { connections, timelineEvents, transactions } from '@paydesk/db/schema';
import {
  currencyExponents,
  decimalToMinor,
  isCurrencyCode,
  minorToDecimal,
  MoneyError,
  providerCapabilities,
  providerLabels,
  type Money,
  type ProviderName,
} from '@paydesk/domain';
import {
  isProviderError,
  type NormalizedTransaction,
  type PaymentLink,
  type ProviderAdapter,
} from '@paydesk/providers';
import type { Logger } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import type { SecretBox } from '../../secret-box.ts';
import { writeAudit, type Actor } from '../audit.ts';
import { adapterFor, webhookUrl, type ConnectionRow } from '../connections/adapters.ts';
import { recordObservation } from '../ledger/apply.ts';
import { jobNames } from '../ledger/job-names.ts';
import { providerFailureMessage } from '../provider-messages.ts';

export const createPaymentLinkSchema = z.object({
  connectionId: z.string().uuid('a connection id'),
  amount: z
    .string()
    .trim()
    .regex(/^\d{1,15}(\.\d{1,8})?$/, 'a decimal amount in major units, such as 10.50'),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isCurrencyCode, 'a currency Paydesk knows (ISO 4217, such as EUR)'),
  customerEmail: z.string().trim().email('the customer’s e-mail address').max(254),
  customerName: z.string().trim().max(120, 'at most 120 characters').optional(),
  description: z.string().trim().max(255, 'at most 255 characters').optional(),
});
export type CreatePaymentLinkInput = z.input<typeof createPaymentLinkSchema>;

export interface PaymentLinkDeps {
  db: Db;
  secrets: SecretBox;
  /** Where the provider reaches Paydesk: the connection's inbound webhook URL is built from it. */
  publicUrl: string;
  jobs: JobQueue;
  log: Logger;
  now(): Date;
  actor: Actor;
  adapter?: (row: ConnectionRow) => ProviderAdapter;
}

export interface PaymentLinkResult {
  transactionId: string | null;
  url: string;
  reference: string;
  providerId: string;
  status: string | null;
  message: string;
}

const action = 'paymentLink.create';

function money(amount: Money): string {
  return `${minorToDecimal(amount.amountMinor, amount.currency)} ${amount.currency}`;
}

/** Exactly, in the currency's minor units; an amount the currency cannot hold is the amount field's error. */
export function parseLinkAmount(amount: string, currency: string): Money {
  if (!isCurrencyCode(currency)) throw new MoneyError(`unsupported currency ${currency}`);
  let minor: bigint;
  try {
    minor = decimalToMinor(amount, currency);
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    const exponent = currencyExponents[currency];
    throw new AppError(
      'validation_failed',
      `amount: ${amount} ${currency} cannot be charged exactly (${currency} has ${exponent === 0 ? 'no decimals' : `${exponent} decimals`})`,
      [
        {
          path: 'amount',
          message: `${currency} has ${exponent === 0 ? 'no decimals' : `${exponent} decimals`}: ${amount} cannot be charged exactly`,
        },
      ],
    );
  }
  if (minor <= 0n) {
    throw new AppError('validation_failed', 'amount: must be greater than zero', [
      { path: 'amount', message: 'must be greater than zero' },
    ]);
  }
  return { amountMinor: minor, currency };
}

async function refuse(deps: PaymentLinkDeps, error: AppError, targetId?: string): Promise<never> {
  await writeAudit(
    deps.db,
    deps.actor,
    {
      action,
      result: 'denied',
      reason: error.userMessage,
      ...(targetId ? { targetType: 'connection', targetId } : {}),
    },
    deps.now(),
  );
  throw error;
}

interface LookUp {
  observed?: NormalizedTransaction;
  notFound: boolean;
}

/** The provider's state of the new payment: a look-up by the reference we chose (always safe). */
async function lookUp(adapter: ProviderAdapter, reference: string, providerId?: string): Promise<LookUp> {
  try {
    return {
      observed: await adapter.lookup({ reference, ...(providerId ? { providerId } : {}) }),
      notFound: false,
    };
  } catch (error) {
    return { notFound: isProviderError(error) && error.kind === 'not_found' };
  }
}

export async function createPaymentLink(
  deps: PaymentLinkDeps,
  input: CreatePaymentLinkInput,
): Promise<PaymentLinkResult> {
  const parsed = createPaymentLinkSchema.safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(input)',
      message: issue.message,
    }));
    throw new AppError('validation_failed', fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
  }
  const request = parsed.data;
  const [connection] = await deps.db
    .select()
    .from(connections)
    .where(eq(connections.id, request.connectionId));
  if (!connection) throw new AppError('not_found', 'There is no connection with this id.');
  const label = providerLabels[connection.provider];

  let amount: Money;
  try {
    amount = parseLinkAmount(request.amount, request.currency);
  } catch (error) {
    if (error instanceof AppError) return refuse(deps, error, connection.id);
    throw error;
  }
  if (!providerCapabilities[connection.provider].paymentLink) {
    return refuse(deps, new AppError('conflict', `${label} cannot create payment links.`), connection.id);
  }
  if (!connection.enabled) {
    return refuse(
      deps,
      new AppError(
        'conflict',
        `The connection “${connection.name}” is disabled: enable it in Settings → Connections to create payment links.`,
      ),
      connection.id,
    );
  }

  const adapter = deps.adapter ? deps.adapter(connection) : adapterFor(deps.secrets, connection);
  const reference = `link-${randomUUID()}`;
  const customerName = request.customerName || undefined;
  const description = request.description || undefined;
  const started = performance.now();
  let link: PaymentLink | undefined;
  let failure: unknown;
  try {
    link = await adapter.createPaymentLink({
      reference,
      amount,
      customerEmail: request.customerEmail,
      ...(customerName ? { customerName } : {}),
      ...(description ? { description } : {}),
      webhookUrl: webhookUrl(deps.publicUrl, deps.secrets, connection),
    });
  } catch (error) {
    if (!isProviderError(error)) throw error;
    failure = error;
  }
  const lost = !link && isProviderError(failure) && failure.kind === 'unknown_outcome';

  // The provider's own view of the payment, which the ledger records (and, when the answer to the
  // create was lost, which settles whether the link exists at all).
  const found: LookUp =
    link || lost
      ? await lookUp(adapter, link?.reference ?? reference, link?.providerId)
      : { notFound: false };
  const latencyMs = Math.round(performance.now() - started);
  const summary = {
    connection: connection.name,
    provider: connection.provider,
    reference,
    amount: minorToDecimal(amount.amountMinor, amount.currency),
    currency: amount.currency,
    customerEmail: request.customerEmail,
  };

  if (!link) {
    const recovered = lost && found.observed?.actionUrl ? found.observed : undefined;
    if (!recovered) {
      let message: string;
      if (!lost) {
        message = `${label} did not create the payment link: ${providerFailureMessage(failure)}`;
      } else if (found.notFound) {
        message = `${label}’s answer was lost, and it has no payment under the reference ${reference}: the link was not created. Nothing was sent to the customer; try again.`;
      } else if (found.observed) {
        message = `${label}’s answer was lost. It did create the payment (reference ${reference}, now in the ledger as ${found.observed.status}), but gave its page address only in that answer, so there is no link to send: create a new one; the unpaid payment expires on its own.`;
      } else {
        message = `${label}’s answer was lost, so whether the link exists is unknown. Paydesk will look the reference ${reference} up and add it to the ledger if it was created; before sending another link, search the ledger for that reference.`;
      }
      const orphan = lost ? found.observed : undefined;
      const now = deps.now();
      await deps.db.transaction(async (tx) => {
        let targetId: string = connection.id;
        if (orphan) {
          // It exists at the provider: the ledger must know, so nobody believes it was never made.
          const applied = await recordObservation(
            tx,
            { connectionId: connection.id, now, source: 'lookup' },
            orphan,
          );
          targetId = applied.transactionId;
          await tx.insert(timelineEvents).values({
            transactionId: targetId,
            at: now,
            type: 'payment_link_lost',
            source: 'user',
            summary: `Payment link for ${money(amount)} requested by ${deps.actor.email ?? 'system'}: ${label}’s answer was lost, so its page address is unknown`,
            details: { by: deps.actor.email, latencyMs, customerEmail: request.customerEmail },
          });
        } else if (lost && !found.notFound) {
          await deps.jobs.sendInTx(
            tx,
            jobNames.lookup,
            { connectionId: connection.id, reference, providerId: null },
            { startAfter: new Date(now.getTime() + 60_000), retryLimit: 10 },
          );
        }
        await writeAudit(
          tx,
          deps.actor,
          {
            action,
            targetType: orphan ? 'transaction' : 'connection',
            targetId,
            result: 'failure',
            reason: message,
            after: summary,
          },
          now,
        );
      });
      throw new AppError('provider_failed', message);
    }
    link = { url: recovered.actionUrl!, providerId: recovered.providerId, reference: recovered.reference };
  }

  const created = link;
  const now = deps.now();
  const observed = found.observed;
  const outcome = await deps.db.transaction(async (tx) => {
    let transactionId: string | null = null;
    let status: string | null = null;
    if (observed) {
      const applied = await recordObservation(
        tx,
        { connectionId: connection.id, now, source: 'lookup' },
        observed,
      );
      transactionId = applied.transactionId;
      const [row] = await tx
        .select({ status: transactions.status })
        .from(transactions)
        .where(eq(transactions.id, transactionId));
      status = row?.status ?? observed.status;
      await tx.insert(timelineEvents).values({
        transactionId,
        at: now,
        type: 'payment_link_created',
        source: 'user',
        summary: `Payment link for ${money(amount)} created by ${deps.actor.email ?? 'system'} for ${request.customerEmail}`,
        details: {
          by: deps.actor.email,
          url: created.url,
          latencyMs,
          customerEmail: request.customerEmail,
          ...(description ? { description } : {}),
        },
      });
    } else {
      // The link exists but the look-up after it failed: the ledger learns of the payment from the
      // provider's webhook, or from this look-up once it gets through.
      await deps.jobs.sendInTx(
        tx,
        jobNames.lookup,
        { connectionId: connection.id, reference: created.reference, providerId: created.providerId },
        { startAfter: new Date(now.getTime() + 30_000), retryLimit: 10 },
      );
    }
    await writeAudit(
      tx,
      deps.actor,
      {
        action,
        result: 'success',
        ...(transactionId
          ? { targetType: 'transaction', targetId: transactionId }
          : { targetType: 'connection', targetId: connection.id }),
        after: { ...summary, providerId: created.providerId, ...(status ? { status } : {}) },
      },
      now,
    );
    return { transactionId, status };
  });

  const where = outcome.transactionId
    ? 'It is in the ledger and moves on as the customer pays.'
    : `It appears in the ledger once ${label} confirms it.`;
  return {
    transactionId: outcome.transactionId,
    url: created.url,
    reference: created.reference,
    providerId: created.providerId,
    status: outcome.status,
    message: `Payment link for ${money(amount)} created on “${connection.name}”: send it to ${request.customerEmail}. ${where}`,
  };
}

export interface PaymentLinkOption {
  id: string;
  name: string;
  provider: ProviderName;
  mode: 'test' | 'live';
  /** Currencies this connection has taken payments in (most recent first); null when none yet. */
  currencies: string[] | null;
}

/** How far back the recent currencies of a connection are read (along its occurred-at index). */
const recentTransactions = 500;

/** The enabled connections that can create payment links, with the currencies they are known to take. */
export async function paymentLinkOptions(db: Db): Promise<{
  connections: PaymentLinkOption[];
  currencies: { code: string; exponent: number }[];
}> {
  const rows = await db
    .select({
      id: connections.id,
      name: connections.name,
      provider: connections.provider,
      mode: connections.mode,
    })
    .from(connections)
    .where(eq(connections.enabled, true))
    .orderBy(connections.name);
  const usable = rows.filter((row) => providerCapabilities[row.provider].paymentLink);
  const options = await Promise.all(
    usable.map(async (row): Promise<PaymentLinkOption> => {
      const recent = await db
        .select({ currency: transactions.currency })
        .from(transactions)
        .where(and(eq(transactions.connectionId, row.id), eq(transactions.kind, 'payment')))
        .orderBy(desc(transactions.occurredAt))
        .limit(recentTransactions);
      const currencies = [...new Set(recent.map((entry) => entry.currency))];
      return { ...row, currencies: currencies.length > 0 ? currencies : null };
    }),
  );
  return {
    connections: options,
    currencies: Object.entries(currencyExponents).map(([code, exponent]) => ({ code, exponent })),
  };
}
