import EventBusyIcon from '@mui/icons-material/EventBusy';
import UndoIcon from '@mui/icons-material/Undo';
import Button from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { capabilityGaps, providerCapabilities } from '@paydesk/domain';
import { useCan } from '../../app/session.tsx';
import { trpc } from '../../lib/trpc.ts';
import { CancelSubscriptionDialog } from './cancel-subscription-dialog.tsx';
import { refundParam } from './links.ts';
import { ReceiptButton } from './receipt-button.tsx';
import { RefundDialog } from './refunds/refund-dialog.tsx';
import { isProviderName } from './status.ts';
import type { TransactionDetail, TransactionView } from './types.ts';
import { UnavailableAction } from './unavailable-action.tsx';

const cancellableStatuses = new Set(['created', 'action_required', 'processing', 'active', 'unknown']);
const chargeTypes = new Set(['payment', 'subscription']);

function RefundAction({ transaction: t }: { transaction: TransactionView }) {
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState(params.get(refundParam) === '1');
  const quote = useQuery(
    trpc.refund.quote.queryOptions({ transactionId: t.id }, { meta: { inlineErrors: true } }),
  );
  const provider = isProviderName(t.provider) ? t.provider : null;
  const fullOnly = provider !== null && providerCapabilities[provider].refund === 'full';
  const label = fullOnly ? 'Refund in full' : 'Refund';
  const close = () => {
    setOpen(false);
    if (params.has(refundParam)) {
      const next = new URLSearchParams(params);
      next.delete(refundParam);
      setParams(next, { replace: true });
    }
  };

  if (provider && !providerCapabilities[provider].refund) {
    return (
      <UnavailableAction label="Refund" icon={<UndoIcon />} reason={capabilityGaps[provider].refund ?? ''} />
    );
  }
  if (quote.data && !quote.data.canRefund) {
    return <UnavailableAction label={label} icon={<UndoIcon />} reason={quote.data.blockedReason ?? ''} />;
  }
  return (
    <>
      <Tooltip title={fullOnly ? (capabilityGaps[provider].refund ?? '') : ''} describeChild>
        <Button variant="outlined" color="error" startIcon={<UndoIcon />} onClick={() => setOpen(true)}>
          {label}
        </Button>
      </Tooltip>
      {open ? <RefundDialog transaction={t} onClose={close} /> : null}
    </>
  );
}

function CancelSubscriptionAction({ transaction: t }: { transaction: TransactionView }) {
  const [open, setOpen] = useState(false);
  const provider = isProviderName(t.provider) ? t.provider : null;
  const unavailable =
    provider && !providerCapabilities[provider].cancelSubscription
      ? (capabilityGaps[provider].cancelSubscription ?? 'This provider cannot cancel subscriptions.')
      : !cancellableStatuses.has(t.status)
        ? t.status === 'cancelled'
          ? 'This subscription is already cancelled.'
          : 'Only a subscription that is still running can be cancelled.'
        : null;
  if (unavailable) {
    return <UnavailableAction label="Cancel subscription" icon={<EventBusyIcon />} reason={unavailable} />;
  }
  return (
    <>
      <Button variant="outlined" color="error" startIcon={<EventBusyIcon />} onClick={() => setOpen(true)}>
        Cancel subscription
      </Button>
      {open ? <CancelSubscriptionDialog transaction={t} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/**
 * The money actions of the transaction page, as the user's permissions and the provider's capabilities
 * allow: an action the provider cannot do stays in view, disabled, with the reason as its tooltip.
 */
export function MoneyActions({ detail }: { detail: TransactionDetail }) {
  const t = detail.transaction;
  const canRefund = useCan('refund.create');
  const canCancel = useCan('subscription.cancel');
  const canDownload = useCan('receipt.download');
  const charged = detail.operations.some((op) => chargeTypes.has(op.type) && op.status === 'succeeded');
  return (
    <>
      {canDownload && t.kind !== 'payout' ? (
        charged ? (
          <ReceiptButton transactionId={t.id} />
        ) : (
          <UnavailableAction label="Receipt" reason="A receipt is issued once the payment has succeeded." />
        )
      ) : null}
      {canCancel && t.kind === 'subscription' ? <CancelSubscriptionAction transaction={t} /> : null}
      {canRefund && t.kind !== 'payout' ? <RefundAction transaction={t} /> : null}
    </>
  );
}
