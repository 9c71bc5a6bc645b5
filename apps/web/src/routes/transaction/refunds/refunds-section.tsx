import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan, useSignedInUser } from '../../../app/session.tsx';
import { readAppError } from '../../../lib/app-error.ts';
import { formatMinor } from '../../../lib/format.ts';
import { trpc } from '../../../lib/trpc.ts';
import { Instant, Section, StatusChip } from '../parts.tsx';
import { DecisionButtons, DecisionDialog, type RefundDecision } from './decision-dialog.tsx';
import { refundReasonLabels, refundStateLook, type RefundIntent } from './model.ts';

/** While a refund is on its way, the page asks again this often. */
const pollMs = 3_000;

/**
 * Every refund Paydesk was asked to make for this payment, from the intent journal: where it stands,
 * in plain words (waiting for approval, outcome unknown and being checked, refunded…), who asked and
 * who decided. An approver other than the requester decides waiting ones here.
 */
export function RefundsSection({ transactionId }: { transactionId: string }) {
  const me = useSignedInUser();
  const canApprove = useCan('refund.approve');
  const [deciding, setDeciding] = useState<{ intent: RefundIntent; decision: RefundDecision } | null>(null);
  const refunds = useQuery(
    trpc.refund.list.queryOptions(
      { transactionId },
      {
        meta: { inlineErrors: true },
        refetchInterval: (query) => (query.state.data?.some((intent) => !intent.final) ? pollMs : false),
      },
    ),
  );
  if (refunds.isSuccess && refunds.data.length === 0) return null;

  return (
    <Section
      title="Refunds"
      description="Refunds asked for in Paydesk, from the request to the provider’s final answer."
    >
      {refunds.isPending ? (
        <Box aria-busy="true" aria-label="Loading refunds" sx={{ pb: 2 }}>
          <Skeleton height={48} />
        </Box>
      ) : refunds.isError ? (
        <Alert
          severity="error"
          sx={{ mb: 2 }}
          action={
            <Button color="inherit" size="small" onClick={() => void refunds.refetch()}>
              Retry
            </Button>
          }
        >
          The refunds could not be loaded: {readAppError(refunds.error).userMessage}
        </Alert>
      ) : (
        <List aria-label="Refunds of this payment" disablePadding sx={{ pb: 1 }}>
          {refunds.data.map((intent) => {
            const mayDecide =
              canApprove && intent.state === 'awaiting_approval' && intent.requestedBy !== me.email;
            return (
              <ListItem
                key={intent.id}
                divider
                disableGutters
                sx={{ display: 'block', py: 1.5 }}
                aria-label={`Refund of ${formatMinor(intent.amountMinor, intent.currency)}, ${refundStateLook(intent.state).label}`}
              >
                <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 1 }}>
                  <Typography component="span" sx={{ fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}>
                    {formatMinor(intent.amountMinor, intent.currency)}
                  </Typography>
                  <StatusChip look={refundStateLook(intent.state)} />
                  <Typography component="span" variant="body2" color="text.secondary">
                    {refundReasonLabels[intent.reason]} · asked by {intent.requestedBy} ·{' '}
                    <Instant iso={intent.createdAt} />
                  </Typography>
                  {mayDecide ? (
                    <DecisionButtons onDecide={(decision) => setDeciding({ intent, decision })} />
                  ) : null}
                </Box>
                <Typography variant="body2" sx={{ mt: 0.5 }} role={intent.final ? undefined : 'status'}>
                  {intent.message}
                </Typography>
                {intent.note ? (
                  <Typography variant="body2" color="text.secondary" sx={{ mt: 0.25 }}>
                    Note: {intent.note}
                  </Typography>
                ) : null}
              </ListItem>
            );
          })}
        </List>
      )}
      {deciding ? (
        <DecisionDialog
          intent={deciding.intent}
          decision={deciding.decision}
          onClose={() => setDeciding(null)}
        />
      ) : null}
    </Section>
  );
}
