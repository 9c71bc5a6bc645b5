import ApprovalIcon from '@mui/icons-material/Approval';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { useSignedInUser } from '../../app/session.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';
import { VisuallyHidden } from '../../components/visually-hidden.tsx';
import { formatMinor } from '../../lib/format.ts';
import { trpc } from '../../lib/trpc.ts';
import { Instant } from '../transaction/parts.tsx';
import {
  DecisionButtons,
  DecisionDialog,
  type RefundDecision,
} from '../transaction/refunds/decision-dialog.tsx';
import { refundReasonLabels, type RefundIntent } from '../transaction/refunds/model.ts';
import { providerLabel } from '../transactions/labels.ts';

/** New requests show up without a reload. */
const pollMs = 10_000;

/** Refunds the policy holds for a second person: approve (sent at once) or reject, never one's own. */
export function Component() {
  const me = useSignedInUser();
  const [deciding, setDeciding] = useState<{ intent: RefundIntent; decision: RefundDecision } | null>(null);
  const pending = useQuery(
    trpc.refund.pending.queryOptions(undefined, { refetchInterval: pollMs, meta: { inlineErrors: true } }),
  );
  return (
    <>
      <PageHeader
        title="Refund approvals"
        description="Refunds above the approval policy wait here until someone other than the requester approves or rejects them. Nothing is sent to the provider before that."
      />
      {pending.isPending ? (
        <Loading label="Loading refunds waiting for approval…" />
      ) : pending.isError ? (
        <ErrorState error={pending.error} onRetry={() => void pending.refetch()} />
      ) : pending.data.length === 0 ? (
        <EmptyState icon={<ApprovalIcon />} title="No refunds are waiting for approval">
          When a refund needs a second pair of eyes it appears here, and on its payment’s page.
        </EmptyState>
      ) : (
        <Paper>
          <TableContainer>
            <Table aria-label="Refunds waiting for approval">
              <TableHead>
                <TableRow>
                  <TableCell align="right">Amount</TableCell>
                  <TableCell>Provider</TableCell>
                  <TableCell>Reason</TableCell>
                  <TableCell>Asked by</TableCell>
                  <TableCell>Why it waits</TableCell>
                  <TableCell>Asked</TableCell>
                  <TableCell>
                    <VisuallyHidden>Decision</VisuallyHidden>
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {pending.data.map((intent) => {
                  const own = intent.requestedBy === me.email;
                  return (
                    <TableRow key={intent.id}>
                      <TableCell
                        component="th"
                        scope="row"
                        align="right"
                        sx={{ fontWeight: 600, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
                      >
                        <Link component={RouterLink} to={`/transactions/${intent.transactionId}`}>
                          {formatMinor(intent.amountMinor, intent.currency)}
                        </Link>
                      </TableCell>
                      <TableCell>{providerLabel(intent.provider)}</TableCell>
                      <TableCell>
                        {refundReasonLabels[intent.reason]}
                        {intent.note ? (
                          <Typography variant="body2" color="text.secondary">
                            {intent.note}
                          </Typography>
                        ) : null}
                      </TableCell>
                      <TableCell>{intent.requestedBy}</TableCell>
                      <TableCell>{intent.approvalRule ?? '—'}</TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>
                        <Instant iso={intent.createdAt} />
                      </TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>
                        {own ? (
                          <Typography variant="body2" color="text.secondary">
                            Your request: someone else decides
                          </Typography>
                        ) : (
                          <DecisionButtons onDecide={(decision) => setDeciding({ intent, decision })} />
                        )}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </TableContainer>
        </Paper>
      )}
      {deciding ? (
        <DecisionDialog
          intent={deciding.intent}
          decision={deciding.decision}
          onClose={() => setDeciding(null)}
        />
      ) : null}
    </>
  );
}
