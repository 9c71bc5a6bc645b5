/**
 * What the browser receives for a transaction: money as strings of minor units (JSON has no exact
 * integers that large), times as ISO strings, nothing it should not see.
 */
import type { getTransaction } from '../../services/transactions/detail.ts';
import type { TransactionListResult } from '../../services/transactions/list.ts';

type ListRow = TransactionListResult['rows'][number];
type Detail = Awaited<ReturnType<typeof getTransaction>>;

const minor = (value: bigint | null) => (value === null ? null : value.toString());
const iso = (value: Date | null) => (value === null ? null : value.toISOString());

export function toRowView(row: ListRow) {
  return {
    ...row,
    occurredAt: row.occurredAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    amountMinor: row.amountMinor.toString(),
    refundedMinor: row.refundedMinor.toString(),
    feeMinor: minor(row.feeMinor),
  };
}

export function toDetailView(detail: Detail) {
  const t = detail.transaction;
  return {
    transaction: {
      id: t.id,
      provider: t.provider,
      providerId: t.providerId,
      reference: t.reference,
      kind: t.kind,
      status: t.status,
      rawStatus: t.rawStatus,
      currency: t.currency,
      amountMinor: t.amountMinor.toString(),
      refundedMinor: t.refundedMinor.toString(),
      feeMinor: minor(t.feeMinor),
      customerEmail: t.customerEmail,
      customerName: t.customerName,
      cardBin: t.cardBin,
      cardLast4: t.cardLast4,
      cardBrand: t.cardBrand,
      method: t.method,
      declineCode: t.declineCode,
      declineMessage: t.declineMessage,
      testMode: t.testMode,
      occurredAt: t.occurredAt.toISOString(),
      providerCreatedAt: iso(t.providerCreatedAt),
      providerUpdatedAt: iso(t.providerUpdatedAt),
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
      nextCheckAt: iso(t.nextCheckAt),
    },
    connection: detail.connection,
    refundableMinor: detail.refundableMinor.toString(),
    pendingRefundsMinor: detail.pendingRefundsMinor.toString(),
    operations: detail.operations.map((op) => ({
      id: op.id,
      providerId: op.providerId,
      type: op.type,
      status: op.status,
      rawStatus: op.rawStatus,
      currency: op.currency,
      amountMinor: op.amountMinor.toString(),
      feeMinor: minor(op.feeMinor),
      declineCode: op.declineCode,
      declineMessage: op.declineMessage,
      providerCreatedAt: iso(op.providerCreatedAt),
      providerUpdatedAt: iso(op.providerUpdatedAt),
    })),
    timeline: detail.timeline.map((event) => ({
      id: event.id,
      at: event.at.toISOString(),
      type: event.type,
      source: event.source,
      summary: event.summary,
      details: event.details,
      deliveryId: event.deliveryId,
    })),
    timelineTotal: detail.timelineTotal,
    deliveries: detail.deliveries.map((delivery) => ({
      id: delivery.id,
      receivedAt: delivery.receivedAt.toISOString(),
      state: delivery.state,
      rejectReason: delivery.rejectReason,
      rejectDetail: delivery.rejectDetail,
      verifiedWith: delivery.verifiedWith,
      duplicates: delivery.duplicates,
      body: delivery.body,
      headers: delivery.headers,
    })),
    raw: detail.raw,
    metadata: detail.metadata,
  };
}
