/**
 * Four eyes: a refund the policy holds is approved (then sent) or rejected by someone else. Nobody
 * approves their own request. Every decision and refusal is audited with its reason.
 */
import { asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { refundIntents, timelineEvents, transactions } from '@paydesk/db/schema';
import { AppError } from '../../errors.ts';
import { writeAudit, type Actor } from '../audit.ts';
import {
  intentView,
  loadIntent,
  money,
  refundPosition,
  remainderSentence,
  timingOf,
  type RefundDeps,
  type RefundIntentView,
  type RefundUser,
} from './intents.ts';
import { sendIntent } from './send.ts';

export const approveRefundSchema = z.object({
  id: z.string().uuid('a refund id (a UUID)'),
  reason: z.string().trim().max(500).optional(),
});

export const rejectRefundSchema = z.object({
  id: z.string().uuid('a refund id (a UUID)'),
  reason: z.string().trim().min(3, 'say why the refund is rejected').max(500),
});

type Decision = 'approve' | 'reject';

async function decide(
  deps: RefundDeps,
  who: { user: RefundUser; actor: Actor },
  decision: Decision,
  input: { id: string; reason?: string | undefined },
): Promise<RefundIntentView> {
  const action = `refund.${decision}`;
  const audit = { action, targetType: 'refund', targetId: input.id } as const;
  const refuse = async (error: AppError): Promise<never> => {
    await writeAudit(
      deps.db,
      who.actor,
      { ...audit, result: 'denied', reason: error.userMessage },
      deps.now(),
    );
    throw error;
  };
  const intent = await loadIntent(deps.db, input.id);
  if (!intent) throw new AppError('not_found', 'There is no refund with this id.');
  if (decision === 'approve' && intent.requestedBy === who.user.id) {
    return refuse(
      new AppError(
        'self_action_refused',
        'You requested this refund, so someone else must approve it: that is the point of a second pair of eyes.',
      ),
    );
  }

  const now = deps.now();
  type Decided = { refused: AppError } | { after: typeof refundIntents.$inferSelect };
  const outcome = await deps.db.transaction(async (tx): Promise<Decided> => {
    const [locked] = await tx
      .select()
      .from(refundIntents)
      .where(eq(refundIntents.id, input.id))
      .for('update');
    if (!locked) throw new AppError('not_found', 'There is no refund with this id.');
    if (locked.state !== 'awaiting_approval') {
      const by = locked.decidedByEmail ? ` by ${locked.decidedByEmail}` : '';
      return {
        refused: new AppError(
          'conflict',
          `This refund is no longer waiting for approval: it was ${locked.state === 'rejected' ? 'rejected' : 'approved'}${by}, and is now ${locked.state.replace(/_/g, ' ')}.`,
        ),
      };
    }
    if (decision === 'approve') {
      // What the ledger learned since the request (a refund made elsewhere, a chargeback) counts too.
      const [transaction] = await tx
        .select()
        .from(transactions)
        .where(eq(transactions.id, locked.transactionId));
      if (!transaction) throw new AppError('not_found', 'There is no transaction with this id.');
      const position = await refundPosition(tx, transaction, locked.id);
      if (position.blocked || locked.amountMinor > position.remainderMinor) {
        return {
          refused: new AppError(
            'conflict',
            `This refund of ${money(locked.amountMinor, locked.currency)} can no longer be made: ${
              position.blocked ?? `${remainderSentence(position, locked.currency)}.`
            } Reject it instead.`,
          ),
        };
      }
    }
    const [after] = await tx
      .update(refundIntents)
      .set({
        state: decision === 'approve' ? 'queued' : 'rejected',
        decidedBy: who.user.id,
        decidedByEmail: who.user.email,
        decisionReason: input.reason || null,
        decidedAt: now,
        nextAttemptAt: decision === 'approve' ? new Date(now.getTime() + timingOf(deps).queuedGraceMs) : null,
        ...(decision === 'reject' ? { settledAt: now } : {}),
        updatedAt: now,
      })
      .where(eq(refundIntents.id, locked.id))
      .returning();
    if (!after) throw new Error('the refund intent vanished under its lock');
    const amount = money(locked.amountMinor, locked.currency);
    await tx.insert(timelineEvents).values({
      transactionId: locked.transactionId,
      at: now,
      type: decision === 'approve' ? 'refund_approved' : 'refund_rejected',
      source: 'user',
      summary: `Refund of ${amount} ${decision === 'approve' ? 'approved' : 'rejected'} by ${who.user.email}${
        input.reason ? `: ${input.reason}` : ''
      }`,
      details: { refundIntent: locked.id, by: who.user.email, requestedBy: locked.requestedByEmail },
    });
    await writeAudit(
      tx,
      who.actor,
      {
        ...audit,
        result: 'success',
        ...(input.reason ? { reason: input.reason } : {}),
        before: { state: locked.state, requestedBy: locked.requestedByEmail },
        after: { state: after.state, amount, transactionId: locked.transactionId },
      },
      now,
    );
    return { after };
  });
  if ('refused' in outcome) return refuse(outcome.refused);
  if (outcome.after.state !== 'queued') return intentView(outcome.after);
  const sent = await sendIntent(deps, outcome.after.id, who.actor);
  return intentView(sent ?? outcome.after);
}

export function approveRefund(
  deps: RefundDeps,
  who: { user: RefundUser; actor: Actor },
  input: z.infer<typeof approveRefundSchema>,
): Promise<RefundIntentView> {
  return decide(deps, who, 'approve', input);
}

export function rejectRefund(
  deps: RefundDeps,
  who: { user: RefundUser; actor: Actor },
  input: z.infer<typeof rejectRefundSchema>,
): Promise<RefundIntentView> {
  return decide(deps, who, 'reject', input);
}

export async function listRefunds(deps: Pick<RefundDeps, 'db'>, transactionId: string) {
  const rows = await deps.db
    .select()
    .from(refundIntents)
    .where(eq(refundIntents.transactionId, transactionId))
    .orderBy(desc(refundIntents.createdAt), desc(refundIntents.id))
    .limit(200);
  return rows.map(intentView);
}

/** Waiting for approval, oldest first (for approvers); bounded. */
export async function pendingRefunds(deps: Pick<RefundDeps, 'db'>) {
  const rows = await deps.db
    .select()
    .from(refundIntents)
    .where(eq(refundIntents.state, 'awaiting_approval'))
    .orderBy(asc(refundIntents.createdAt))
    .limit(200);
  return rows.map(intentView);
}

export async function getRefund(deps: Pick<RefundDeps, 'db'>, id: string) {
  const intent = await loadIntent(deps.db, id);
  if (!intent) throw new AppError('not_found', 'There is no refund with this id.');
  return intentView(intent);
}
