import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { FormError } from '../../components/form-error.tsx';
import { fieldMessage, readAppError, type AppErrorInfo } from '../../lib/app-error.ts';
import { formatMinor } from '../../lib/format.ts';
import { toast } from '../../lib/toasts.ts';
import { trpc } from '../../lib/trpc.ts';
import { providerLabel } from '../transactions/labels.ts';
import type { TransactionView } from './types.ts';

/**
 * Cancel a subscription at the provider, with the consequence said before confirming: no further
 * charges, and the service runs to the end of the period already paid for. The provider confirms later;
 * Paydesk follows it until it does, and the page shows the status as it arrives.
 */
export function CancelSubscriptionDialog({
  transaction: t,
  onClose,
}: {
  transaction: TransactionView;
  onClose: () => void;
}) {
  const titleId = useId();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const [failure, setFailure] = useState<AppErrorInfo | null>(null);
  const cancel = useMutation(
    trpc.subscription.cancel.mutationOptions({
      meta: { inlineErrors: true },
      onSuccess: (result) => {
        toast('success', result.message);
        onClose();
      },
      onError: (error) => setFailure(readAppError(error)),
      onSettled: () => queryClient.invalidateQueries(trpc.transaction.pathFilter()),
    }),
  );
  const provider = providerLabel(t.provider);
  const tooShort = reason.trim().length < 3;
  const reasonError =
    (tried && tooShort ? 'Say why (at least 3 characters): it is kept in the audit log.' : undefined) ??
    fieldMessage(failure, 'reason');

  function submit() {
    setTried(true);
    if (!tooShort) cancel.mutate({ transactionId: t.id, reason: reason.trim() });
  }

  return (
    <Dialog
      open
      onClose={cancel.isPending ? undefined : onClose}
      aria-labelledby={titleId}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id={titleId}>Cancel this subscription?</DialogTitle>
      <DialogContent>
        <FormError error={failure} />
        <Typography>
          The subscription of {formatMinor(t.amountMinor, t.currency)} for{' '}
          {t.customerEmail ?? t.customerName ?? 'the customer'} at {provider} ({t.reference}).
        </Typography>
        <Alert severity="warning" sx={{ my: 2 }}>
          {provider} will not charge the customer again. The service they have paid for runs to the end of the
          current period; it is not refunded. A cancelled subscription cannot be resumed: the customer would
          have to subscribe again.
        </Alert>
        <TextField
          label="Why is it cancelled?"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          required
          fullWidth
          multiline
          minRows={2}
          autoFocus
          error={Boolean(reasonError)}
          helperText={reasonError ?? 'Kept in the audit log and on the timeline.'}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={cancel.isPending}>
          Keep subscription
        </Button>
        <Button variant="contained" color="error" loading={cancel.isPending} onClick={submit}>
          Cancel subscription
        </Button>
      </DialogActions>
    </Dialog>
  );
}
