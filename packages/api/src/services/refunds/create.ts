/**
 * Quoting and requesting a refund. The request is written as an intent (with its timeline event and
 * audit row, in one database transaction) before anything is sent; the database refuses an intent that
 * would refund more than was captured, whatever raced it. Then, unless the approval policy asks for a
 * second person, it is sent at once.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { connections, refundIntents, refundReasons, timelineEvents, transactions } from '@paydesk/db/schema';
import {
  decimalToMinor,
  minorToDecimal,
  MoneyError,
  providerCapabilities,
  type CurrencyCode,
  type ProviderName,
} from '@paydesk/domain';
import { AppError } from '../../errors.ts';
import { writeAudit, type Actor } from '../audit.ts';
import {
  databaseError,
  intentView,
  money,
  reasonLabels,
  refundPosition,
  remainderSentence,
  timingOf,
  type RefundDeps,
  type RefundIntentRow,
  type RefundIntentView,
  type RefundUser,
  type TransactionRow,
} from './intents.ts';
import { approvalVerdict, getRefundPolicy } from './policy.ts';
import { sendIntent } from './send.ts';

const amountSchema = z
  .string()
  .trim()
  .regex(/^\d{1,15}(\.\d{1,8})?$/, 'an amount in major units with a dot, such as 12.50');

export const createRefundSchema = z
  .object({
    transactionId: z.string().uuid('a Paydesk transaction id (a UUID)'),
    amount: amountSchema,
    reason: z.enum(refundReasons),
    note: z.string().trim().max(500, 'a note is at most 500 characters').optional(),
    /** One per refund dialog, chosen by the client: the same key finds the same intent again. */
    idempotencyKey: z
      .string()
      .trim()
      .min(8, 'an idempotency key of at least 8 characters')
      .max(200)
      .regex(/^[\w.:-]+$/, 'letters, digits and . _ : - only'),
  })
  .superRefine((input, ctx) => {
    if (input.reason === 'other' && !input.note) {
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'say why, when the reason is “other”' });
    }
  });
export type CreateRefundInput = z.infer<typeof createRefundSchema>;

export const quoteRefundSchema = z.object({
  transactionId: z.string().uuid('a Paydesk transaction id (a UUID)'),
  amount: amountSchema.optional(),
});

async function loadTransaction(deps: RefundDeps, id: string) {
  const [row] = await deps.db
    .select({ transaction: transactions, connection: connections })
    .from(transactions)
    .innerJoin(connections, eq(connections.id, transactions.connectionId))
    .where(eq(transactions.id, id));
  if (!row) throw new AppError('not_found', 'There is no transaction with this id.');
  return row;
}

function toMinor(amount: string, currency: string): bigint {
  try {
    return decimalToMinor(amount, currency);
  } catch (error) {
    if (error instanceof MoneyError) {
      throw new AppError('validation_failed', `amount: ${error.message}.`, [
        { path: 'amount', message: error.message },
      ]);
    }
    throw error;
  }
}

/** What can be refunded now, how, and whether `amount` (or the whole remainder) would need approval. */
export async function quoteRefund(deps: RefundDeps, input: z.infer<typeof quoteRefundSchema>) {
  const { transaction, connection } = await loadTransaction(deps, input.transactionId);
  const position = await refundPosition(deps.db, transaction);
  const currency = transaction.currency;
  const capability = providerCapabilities[transaction.provider as ProviderName]?.refund ?? false;
  const policy = await getRefundPolicy(deps.db);
  const askedMinor = input.amount !== undefined ? toMinor(input.amount, currency) : position.remainderMinor;
  const verdict =
    askedMinor > 0n
      ? approvalVerdict(
          policy,
          { amountMinor: askedMinor, currency: currency as CurrencyCode },
          transaction.amountMinor,
        )
      : { required: false, rule: null };
  const blocked =
    position.blocked ??
    (connection.enabled
      ? null
      : `The connection “${connection.name}” is disabled: enable it in Settings → Connections first.`) ??
    (position.remainderMinor === 0n ? `N${remainderSentence(position, currency).slice(1)}.` : null);
  const decimal = (minor: bigint) => minorToDecimal(minor, currency);
  const inFlightMinor = position.openIntentsMinor + position.pendingOperationsMinor;
  return {
    transactionId: transaction.id,
    provider: transaction.provider,
    currency,
    captured: decimal(position.capturedMinor),
    refunded: decimal(position.refundedMinor),
    inFlight: decimal(inFlightMinor),
    inFlightMinor: inFlightMinor.toString(),
    refundable: decimal(blocked ? 0n : position.remainderMinor),
    refundableMinor: (blocked ? 0n : position.remainderMinor).toString(),
    /** `full`: only the whole payment (Gate); `partial`: any amount up to `refundable`. */
    mode: capability || null,
    partialAllowed: capability === 'partial',
    canRefund: blocked === null,
    blockedReason: blocked,
    amount: decimal(askedMinor),
    approvalRequired: verdict.required,
    approvalRule: verdict.rule,
    approvalThreshold: policy.thresholds[currency] ?? null,
    approvalMaxSharePercent: policy.maxSharePercent,
  };
}

export interface CreateRefundResult {
  intent: RefundIntentView;
  /** The same idempotency key had already made this intent: nothing new was written or sent. */
  replayed: boolean;
}

function sameRequest(intent: RefundIntentRow, amountMinor: bigint, input: CreateRefundInput): boolean {
  return (
    intent.amountMinor === amountMinor &&
    intent.reason === input.reason &&
    (intent.note ?? undefined) === (input.note || undefined)
  );
}

/**
 * Requests a refund. Refusals (over the remainder, a partial Gate refund, a reused key with other
 * details, a payment that cannot be refunded) are audited with their reason and thrown for the user.
 */
export async function createRefund(
  deps: RefundDeps,
  who: { user: RefundUser; actor: Actor },
  input: CreateRefundInput,
): Promise<CreateRefundResult> {
  const { transaction, connection } = await loadTransaction(deps, input.transactionId);
  const currency = transaction.currency;
  const amountMinor = toMinor(input.amount, currency);
  const audit = { action: 'refund.create', targetType: 'transaction', targetId: transaction.id } as const;
  const refuse = async (error: AppError): Promise<never> => {
    await writeAudit(
      deps.db,
      who.actor,
      {
        ...audit,
        result: 'denied',
        reason: error.userMessage,
        after: {
          amount: `${input.amount} ${currency}`,
          reason: input.reason,
          idempotencyKey: input.idempotencyKey,
        },
      },
      deps.now(),
    );
    throw error;
  };
  const replay = async (existing: RefundIntentRow): Promise<CreateRefundResult> => {
    if (!sameRequest(existing, amountMinor, input)) {
      return refuse(
        new AppError(
          'conflict',
          `This request was already made with other details (a refund of ${money(existing.amountMinor, existing.currency)}, ${reasonLabels[existing.reason]}). Close the refund dialog and open it again to request another refund.`,
        ),
      );
    }
    return { intent: intentView(existing), replayed: true };
  };

  const existing = await loadByKey(deps, transaction.id, input.idempotencyKey);
  if (existing) return replay(existing);

  if (amountMinor <= 0n) {
    return refuse(
      new AppError('validation_failed', 'amount: a refund must be more than zero.', [
        { path: 'amount', message: 'a refund must be more than zero' },
      ]),
    );
  }
  const position = await refundPosition(deps.db, transaction);
  if (position.blocked) {
    return refuse(new AppError('conflict', `This payment cannot be refunded. ${position.blocked}`));
  }
  if (!connection.enabled) {
    return refuse(
      new AppError(
        'conflict',
        `The connection “${connection.name}” is disabled: enable it in Settings → Connections to refund through it.`,
      ),
    );
  }
  const overRemainder = (latest: typeof position) =>
    new AppError(
      'validation_failed',
      `You asked to refund ${money(amountMinor, currency)}, but ${remainderSentence(latest, currency)}.`,
      [{ path: 'amount', message: remainderSentence(latest, currency) }],
    );
  if (amountMinor > position.remainderMinor) {
    // A second tab with this key may have taken the remainder a moment ago: its intent is the answer.
    const twin = await loadByKey(deps, transaction.id, input.idempotencyKey);
    if (twin) return replay(twin);
    return refuse(overRemainder(position));
  }
  const capability = providerCapabilities[transaction.provider as ProviderName]?.refund ?? false;
  if (capability === 'full' && amountMinor !== transaction.amountMinor) {
    return refuse(
      new AppError(
        'validation_failed',
        `Gate refunds only the full amount: refund ${money(transaction.amountMinor, currency)} or nothing.`,
        [{ path: 'amount', message: `only the full amount, ${money(transaction.amountMinor, currency)}` }],
      ),
    );
  }

  const policy = await getRefundPolicy(deps.db);
  const verdict = approvalVerdict(
    policy,
    { amountMinor, currency: currency as CurrencyCode },
    transaction.amountMinor,
  );
  const id = randomUUID();
  const now = deps.now();
  let created: RefundIntentRow | undefined;
  try {
    created = await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(refundIntents)
        .values({
          id,
          transactionId: transaction.id,
          connectionId: connection.id,
          provider: connection.provider,
          amountMinor,
          currency,
          reason: input.reason,
          note: input.note || null,
          idempotencyKey: input.idempotencyKey,
          // Gate addresses a refund by the payment it reverses; the others get the intent's own.
          providerReference: connection.provider === 'gate' ? transaction.reference : `rf_${id}`,
          state: verdict.required ? 'awaiting_approval' : 'queued',
          approvalRequired: verdict.required,
          approvalRule: verdict.rule,
          requestedBy: who.user.id,
          requestedByEmail: who.user.email,
          nextAttemptAt: verdict.required ? null : new Date(now.getTime() + timingOf(deps).queuedGraceMs),
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: [refundIntents.transactionId, refundIntents.idempotencyKey] })
        .returning();
      // Another tab with the same key committed first: that intent is the answer.
      if (!row) return undefined;
      const amount = money(amountMinor, currency);
      await tx.insert(timelineEvents).values({
        transactionId: transaction.id,
        at: now,
        type: 'refund_requested',
        source: 'user',
        summary: verdict.required
          ? `Refund of ${amount} requested by ${who.user.email}; waiting for approval (${verdict.rule})`
          : `Refund of ${amount} requested by ${who.user.email}`,
        details: {
          refundIntent: id,
          amountMinor: amountMinor.toString(),
          currency,
          reason: input.reason,
          by: who.user.email,
          approvalRequired: verdict.required,
        },
      });
      await writeAudit(
        tx,
        who.actor,
        {
          ...audit,
          result: 'success',
          reason: `${reasonLabels[input.reason]}${input.note ? `: ${input.note}` : ''}`,
          after: {
            refundIntent: id,
            amount,
            state: row.state,
            ...(verdict.rule ? { approvalRule: verdict.rule } : {}),
          },
        },
        now,
      );
      return row;
    });
  } catch (error) {
    const database = databaseError(error);
    if (database?.constraint === 'refund_intents_within_captured') {
      // A concurrent request took part of the remainder between our check and our insert.
      const twin = await loadByKey(deps, transaction.id, input.idempotencyKey);
      if (twin) return replay(twin);
      return refuse(overRemainder(await refundPosition(deps.db, await reload(deps, transaction.id))));
    }
    if (database?.constraint === 'refund_intents_gate_one_live') {
      return refuse(
        new AppError(
          'conflict',
          'This Gate payment already has a refund under way or done: Gate refunds a payment once.',
        ),
      );
    }
    throw error;
  }
  if (!created) {
    const winner = await loadByKey(deps, transaction.id, input.idempotencyKey);
    if (!winner) throw new Error('an intent conflicted on its key and then vanished');
    return replay(winner);
  }
  if (created.state !== 'queued') return { intent: intentView(created), replayed: false };
  const sent = await sendIntent(deps, created.id, who.actor);
  return { intent: intentView(sent ?? created), replayed: false };
}

async function reload(deps: RefundDeps, id: string): Promise<TransactionRow> {
  const [row] = await deps.db.select().from(transactions).where(eq(transactions.id, id));
  if (!row) throw new AppError('not_found', 'There is no transaction with this id.');
  return row;
}

async function loadByKey(deps: RefundDeps, transactionId: string, key: string) {
  const [row] = await deps.db
    .select()
    .from(refundIntents)
    .where(and(eq(refundIntents.transactionId, transactionId), eq(refundIntents.idempotencyKey, key)));
  return row;
}
