import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { FormError } from '../../../components/form-error.tsx';
import { fieldMessage, readAppError, type AppErrorInfo } from '../../../lib/app-error.ts';
import { formatMinor } from '../../../lib/format.ts';
import { toast } from '../../../lib/toasts.ts';
import { trpc } from '../../../lib/trpc.ts';
import { providerLabel } from '../../transactions/labels.ts';
import { refundReasonLabels, type RefundIntent } from './model.ts';

export type RefundDecision = 'approve' | 'reject';

/**
 * The second pair of eyes: approve a waiting refund (then it is sent at once) or reject it with a
 * reason. The server refuses anyone approving their own request, whatever this dialog shows.
 */
export function DecisionDialog({
  intent,
  decision,
  onClose,
}: {
  intent: RefundIntent;
  decision: RefundDecision;
  onClose: () => void;
}) {
  const titleId = useId();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<AppErrorInfo | null>(null);
  const options = {
    meta: { inlineErrors: true },
    onSuccess: (result: RefundIntent) => {
      toast(result.state === 'failed' ? 'error' : 'success', result.message);
      onClose();
    },
    onError: (error: unknown) => setFailure(readAppError(error)),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries(trpc.refund.pathFilter()),
        queryClient.invalidateQueries(trpc.transaction.pathFilter()),
      ]),
  };
  const approve = useMutation(trpc.refund.approve.mutationOptions(options));
  const reject = useMutation(trpc.refund.reject.mutationOptions(options));
  const pending = approve.isPending || reject.isPending;
  const rejecting = decision === 'reject';
  const tooShort = rejecting && reason.trim().length < 3;
  const [tried, setTried] = useState(false);
  const amount = formatMinor(intent.amountMinor, intent.currency);

  function submit() {
    setTried(true);
    if (tooShort) return;
    const trimmed = reason.trim();
    if (rejecting) reject.mutate({ id: intent.id, reason: trimmed });
    else approve.mutate({ id: intent.id, ...(trimmed ? { reason: trimmed } : {}) });
  }

  const reasonError =
    (tried && tooShort ? 'Say why the refund is rejected (at least 3 characters).' : undefined) ??
    fieldMessage(failure, 'reason');
  return (
    <Dialog open onClose={pending ? undefined : onClose} aria-labelledby={titleId} maxWidth="xs" fullWidth>
      <DialogTitle id={titleId}>{rejecting ? 'Reject this refund' : 'Approve this refund'}</DialogTitle>
      <DialogContent>
        <FormError error={failure} />
        <Typography>
          {amount} {amount.includes(intent.currency) ? '' : intent.currency} through{' '}
          {providerLabel(intent.provider)}, asked by {intent.requestedBy}.
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5, mb: 2 }}>
          Reason: {refundReasonLabels[intent.reason]}
          {intent.note ? ` — ${intent.note}` : ''}
          {intent.approvalRule ? `. Needs approval: ${intent.approvalRule}.` : ''}
        </Typography>
        {rejecting ? null : (
          <Alert severity="warning" sx={{ mb: 2 }}>
            Approving sends the refund to {providerLabel(intent.provider)} at once.
          </Alert>
        )}
        <TextField
          label={rejecting ? 'Why is it rejected?' : 'Comment (optional)'}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          required={rejecting}
          fullWidth
          multiline
          minRows={2}
          autoFocus
          error={Boolean(reasonError)}
          helperText={reasonError ?? 'Kept in the audit log; the requester sees it on the refund.'}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={pending}>
          Cancel
        </Button>
        <Button
          variant="contained"
          color={rejecting ? 'error' : 'primary'}
          loading={pending}
          onClick={submit}
        >
          {rejecting ? 'Reject refund' : 'Approve and send'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Reject and Approve, side by side, for one waiting refund. */
export function DecisionButtons({ onDecide }: { onDecide: (decision: RefundDecision) => void }) {
  return (
    <Box sx={{ display: 'flex', gap: 1, ml: 'auto' }}>
      <Button size="small" onClick={() => onDecide('reject')}>
        Reject
      </Button>
      <Button size="small" variant="contained" onClick={() => onDecide('approve')}>
        Approve
      </Button>
    </Box>
  );
}
