import type { RouterOutputs } from '../../lib/trpc.ts';

export type TransactionDetail = RouterOutputs['transaction']['get'];
export type TransactionView = TransactionDetail['transaction'];
export type OperationView = TransactionDetail['operations'][number];
export type TimelineEvent = TransactionDetail['timeline'][number];
export type Delivery = TransactionDetail['deliveries'][number];
export type RefreshResult = RouterOutputs['transaction']['refresh'];
