import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useCan } from '../../app/session.tsx';
import { readAppError, type AppErrorInfo } from '../../lib/app-error.ts';
import { trpc } from '../../lib/trpc.ts';
import { providerLabel } from '../transactions/labels.ts';
import { BackToTransactions } from './back-link.tsx';
import { Deliveries } from './deliveries.tsx';
import { DeliveryDialog } from './delivery-dialog.tsx';
import { TransactionHeader } from './header.tsx';
import { isTransactionId } from './links.ts';
import { MoneyActions } from './money-actions.tsx';
import { Operations } from './operations.tsx';
import { TransactionLoadError, TransactionNotFound, TransactionSkeleton } from './page-states.tsx';
import { ProviderPayload } from './provider-payload.tsx';
import { RefreshButton } from './refresh-button.tsx';
import { RefundsSection } from './refunds/refunds-section.tsx';
import { Summary } from './summary.tsx';
import { Timeline } from './timeline.tsx';
import { Times } from './times.tsx';
import type { Delivery } from './types.ts';

/** NOT_FOUND, or an id the server refuses to read as one: both mean "there is no such transaction". */
function isNotFound(error: unknown): boolean {
  const { trpcCode } = readAppError(error);
  return trpcCode === 'NOT_FOUND' || trpcCode === 'BAD_REQUEST';
}

export function Component() {
  const { id } = useParams();
  const valid = isTransactionId(id);
  const canRefresh = useCan('transaction.refresh');
  const detail = useQuery(
    trpc.transaction.get.queryOptions({ id: id ?? '' }, { enabled: valid, meta: { inlineErrors: true } }),
  );
  const [openDelivery, setOpenDelivery] = useState<Delivery | null>(null);
  // Kept with the id it is about: the same page component shows the next transaction after a link.
  const [failure, setFailure] = useState<{ id: string; info: AppErrorInfo } | null>(null);
  const refreshFailure = failure && failure.id === id ? failure.info : null;

  if (!valid) return <TransactionNotFound malformed />;
  if (detail.isPending) return <TransactionSkeleton />;
  if (detail.isError) {
    if (isNotFound(detail.error)) return <TransactionNotFound malformed={false} />;
    return <TransactionLoadError error={detail.error} onRetry={() => void detail.refetch()} />;
  }

  const data = detail.data;
  const t = data.transaction;
  const providerName = providerLabel(t.provider);
  return (
    <>
      <BackToTransactions />
      <TransactionHeader
        transaction={t}
        actions={
          <>
            <MoneyActions key={t.id} detail={data} />
            {canRefresh ? (
              <RefreshButton
                id={t.id}
                providerName={providerName}
                onFailure={(info) => setFailure(info ? { id: t.id, info } : null)}
              />
            ) : null}
          </>
        }
      />
      {refreshFailure ? (
        <Alert severity="error" onClose={() => setFailure(null)} sx={{ mb: 3 }}>
          <AlertTitle>Refresh from {providerName} failed</AlertTitle>
          {refreshFailure.userMessage}
        </Alert>
      ) : null}
      <Box sx={{ display: 'grid', gap: 3 }}>
        <Box
          sx={{
            display: 'grid',
            gap: 3,
            alignItems: 'start',
            gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 2fr) minmax(300px, 1fr)' },
          }}
        >
          <Summary detail={data} />
          <Times transaction={t} />
        </Box>
        <RefundsSection transactionId={t.id} />
        <Operations transactionId={t.id} operations={data.operations} />
        <Timeline
          events={data.timeline}
          total={data.timelineTotal}
          deliveries={data.deliveries}
          provider={t.provider}
          onOpenDelivery={setOpenDelivery}
        />
        <Deliveries deliveries={data.deliveries} provider={t.provider} onOpen={setOpenDelivery} />
        <ProviderPayload raw={data.raw} metadata={data.metadata} providerName={providerName} />
      </Box>
      <DeliveryDialog delivery={openDelivery} provider={t.provider} onClose={() => setOpenDelivery(null)} />
    </>
  );
}
