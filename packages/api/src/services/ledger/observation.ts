/**
 * A normalized transaction as it is kept in the inbox (JSON: amounts as decimal strings of minor units,
 * times as ISO strings) and read back exactly.
 */
import { z } from 'zod';
import {
  operationStatuses,
  transactionKinds,
  transactionStatuses,
  type CurrencyCode,
  type Money,
} from '@paydesk/domain';
import type { NormalizedOperation, NormalizedTransaction } from '@paydesk/providers';

const minor = z.string().regex(/^-?\d+$/);
const money = z.object({ amountMinor: minor, currency: z.string() });
const time = z.string().datetime({ offset: true }).optional();

const operationSchema = z.object({
  providerId: z.string(),
  type: z.enum(['payment', 'payout', 'subscription', 'refund', 'chargeback', 'other']),
  status: z.enum(operationStatuses),
  rawStatus: z.string(),
  amount: money,
  fee: money.optional(),
  declineCode: z.string().optional(),
  declineMessage: z.string().optional(),
  createdAt: time,
  updatedAt: time,
});

const observationSchema = z.object({
  provider: z.enum(['gate', 'payment-book', 'paytone']),
  providerId: z.string(),
  reference: z.string(),
  kind: z.enum(transactionKinds),
  status: z.enum(transactionStatuses),
  rawStatus: z.string(),
  amount: money,
  refundedMinor: minor,
  fee: money.optional(),
  customer: z.object({ email: z.string().optional(), name: z.string().optional() }),
  card: z
    .object({ bin: z.string().optional(), last4: z.string().optional(), brand: z.string().optional() })
    .optional(),
  method: z.string().optional(),
  declineCode: z.string().optional(),
  declineMessage: z.string().optional(),
  actionUrl: z.string().optional(),
  testMode: z.boolean().optional(),
  createdAt: time,
  updatedAt: time,
  operations: z.array(operationSchema),
  metadata: z.record(z.string(), z.unknown()).optional(),
  raw: z.unknown(),
});

export type ObservationJson = z.input<typeof observationSchema>;

function moneyJson(value: Money) {
  return { amountMinor: value.amountMinor.toString(), currency: value.currency };
}

function readMoney(value: z.infer<typeof money>): Money {
  return { amountMinor: BigInt(value.amountMinor), currency: value.currency as CurrencyCode };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toObservationJson(t: NormalizedTransaction): ObservationJson {
  return dropUndefined({
    ...t,
    amount: moneyJson(t.amount),
    refundedMinor: t.refundedMinor.toString(),
    fee: t.fee ? moneyJson(t.fee) : undefined,
    createdAt: t.createdAt?.toISOString(),
    updatedAt: t.updatedAt?.toISOString(),
    operations: t.operations.map((op) =>
      dropUndefined({
        ...op,
        amount: moneyJson(op.amount),
        fee: op.fee ? moneyJson(op.fee) : undefined,
        createdAt: op.createdAt?.toISOString(),
        updatedAt: op.updatedAt?.toISOString(),
      }),
    ),
  });
}

export function fromObservationJson(json: unknown): NormalizedTransaction {
  const o = observationSchema.parse(json);
  const date = (value: string | undefined) => (value ? new Date(value) : undefined);
  const operations: NormalizedOperation[] = o.operations.map(
    (op) =>
      dropUndefined({
        ...op,
        amount: readMoney(op.amount),
        fee: op.fee ? readMoney(op.fee) : undefined,
        createdAt: date(op.createdAt),
        updatedAt: date(op.updatedAt),
      }) as NormalizedOperation,
  );
  return dropUndefined({
    ...o,
    amount: readMoney(o.amount),
    refundedMinor: BigInt(o.refundedMinor),
    fee: o.fee ? readMoney(o.fee) : undefined,
    createdAt: date(o.createdAt),
    updatedAt: date(o.updatedAt),
    operations,
  });
}
