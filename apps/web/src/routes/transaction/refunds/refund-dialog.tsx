import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import Skeleton from '@mui/material/Skeleton';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useId, useState } from 'react';
import { FormError } from '../../../components/form-error.tsx';
import { fieldMessage, readAppError, type AppErrorInfo } from '../../../lib/app-error.ts';
import { toast } from '../../../lib/toasts.ts';
import { trpc } from '../../../lib/trpc.ts';
import { providerLabel } from '../../transactions/labels.ts';
import type { TransactionView } from '../types.ts';
import {
  checkRefundForm,
  refundReasonLabels,
  type RefundFormErrors,
  type RefundFormValues,
  type RefundQuote,
  type RefundReason,
} from './model.ts';

const reasons = Object.keys(refundReasonLabels) as RefundReason[];
const amountPattern = /^\d{1,15}(\.\d{1,8})?$/;

/** "Bea Buyer (bea@example.com)", or what the provider told of the customer. */
function customerOf(t: TransactionView): string {
  if (t.customerName && t.customerEmail) return `${t.customerName} (${t.customerEmail})`;
  return t.customerName ?? t.customerEmail ?? 'the customer';
}

/**
 * Refund a payment: the server's remainder prefilled (locked where the provider refunds only in full),
 * a reason, then a confirmation naming amount, currency, provider and customer. One idempotency key per
 * opening of the dialog, so a double click or a retried request finds the same refund again.
 */
export function RefundDialog({
  transaction: t,
  onClose,
}: {
  transaction: TransactionView;
  onClose: () => void;
}) {
  const titleId = useId();
  const queryClient = useQueryClient();
  const [idempotencyKey] = useState(() => `refund-${crypto.randomUUID()}`);
  const [values, setValues] = useState<Omit<RefundFormValues, 'amount'>>({ reason: '', note: '' });
  // Untouched, the amount is the whole remainder the server quoted.
  const [amountInput, setAmountInput] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const [step, setStep] = useState<'form' | 'confirm'>('form');
  const [failure, setFailure] = useState<AppErrorInfo | null>(null);

  const base = useQuery(
    trpc.refund.quote.queryOptions({ transactionId: t.id }, { meta: { inlineErrors: true } }),
  );
  const quote = base.data;
  const amount = amountInput ?? quote?.refundable ?? '';
  // Whether this amount needs a second person: asked again as the amount settles.
  const settledAmount = useDeferredValue(amount);
  const forAmount = useQuery(
    trpc.refund.quote.queryOptions(
      { transactionId: t.id, amount: settledAmount },
      {
        enabled: Boolean(quote?.canRefund) && amountPattern.test(settledAmount),
        placeholderData: keepPreviousData,
        meta: { inlineErrors: true },
      },
    ),
  );
  const approval = forAmount.data ?? quote;

  const create = useMutation(
    trpc.refund.create.mutationOptions({
      meta: { inlineErrors: true },
      onSuccess: ({ intent }) => {
        toast(intent.state === 'failed' ? 'error' : intent.final ? 'success' : 'info', intent.message);
        onClose();
      },
      onError: (error) => {
        setFailure(readAppError(error));
        setStep('form');
      },
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries(trpc.transaction.pathFilter()),
          queryClient.invalidateQueries(trpc.refund.pathFilter()),
        ]),
    }),
  );

  const formValues = { ...values, amount };
  const errors: RefundFormErrors = quote && touched ? checkRefundForm(formValues, quote) : {};
  const message = (field: keyof RefundFormValues) => errors[field] ?? fieldMessage(failure, field);
  const set = ({ amount: nextAmount, ...patch }: Partial<RefundFormValues>) => {
    if (nextAmount !== undefined) setAmountInput(nextAmount);
    setValues((current) => ({ ...current, ...patch }));
  };

  function review() {
    setTouched(true);
    if (!quote || Object.keys(checkRefundForm(formValues, quote)).length > 0) return;
    setFailure(null);
    // What the confirmation names is what is sent, even if the quote is refreshed meanwhile.
    setAmountInput(amount);
    setStep('confirm');
  }

  function send() {
    if (!values.reason) return;
    create.mutate({
      transactionId: t.id,
      amount,
      reason: values.reason,
      ...(values.note.trim() ? { note: values.note.trim() } : {}),
      idempotencyKey,
    });
  }

  const provider = providerLabel(t.provider);
  const pending = create.isPending;
  return (
    <Dialog open onClose={pending ? undefined : onClose} aria-labelledby={titleId} maxWidth="sm" fullWidth>
      <DialogTitle id={titleId}>{step === 'form' ? 'Refund this payment' : 'Confirm the refund'}</DialogTitle>
      <DialogContent>
        {base.isPending ? (
          <Box aria-busy="true" aria-label="Working out what can be refunded">
            <Skeleton height={56} />
            <Skeleton height={56} />
          </Box>
        ) : base.isError ? (
          <Alert severity="error">
            <AlertTitle>What can be refunded could not be worked out</AlertTitle>
            {readAppError(base.error).userMessage}
          </Alert>
        ) : !quote!.canRefund ? (
          <Alert severity="info">
            <AlertTitle>Nothing can be refunded</AlertTitle>
            {quote!.blockedReason}
          </Alert>
        ) : step === 'form' ? (
          <RefundForm
            quote={quote!}
            values={formValues}
            message={message}
            failure={failure}
            set={set}
            onSubmit={review}
          />
        ) : (
          <Box>
            <Typography>
              Refund{' '}
              <strong>
                {amount} {quote!.currency}
              </strong>{' '}
              to <strong>{customerOf(t)}</strong> through <strong>{provider}</strong>?
            </Typography>
            <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
              Reason: {values.reason ? refundReasonLabels[values.reason] : ''}
              {values.note.trim() ? ` — ${values.note.trim()}` : ''}
            </Typography>
            {approval?.approvalRequired ? (
              <Alert severity="warning" sx={{ mt: 2 }}>
                <AlertTitle>Needs approval</AlertTitle>
                {approval.approvalRule}. The refund waits until someone else who may approve refunds approves
                it; nothing is sent to {provider} before that.
              </Alert>
            ) : (
              <Alert severity="info" sx={{ mt: 2 }}>
                The money goes back to the customer’s original payment method. This cannot be undone.
              </Alert>
            )}
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        {step === 'confirm' ? (
          <Button onClick={() => setStep('form')} disabled={pending}>
            Back
          </Button>
        ) : null}
        <Button onClick={onClose} disabled={pending}>
          Cancel
        </Button>
        {quote?.canRefund ? (
          step === 'form' ? (
            <Button variant="contained" onClick={review}>
              Review refund
            </Button>
          ) : (
            <Button variant="contained" color="error" loading={pending} onClick={send}>
              {approval?.approvalRequired ? 'Ask for approval' : `Refund ${amount} ${quote.currency}`}
            </Button>
          )
        ) : null}
      </DialogActions>
    </Dialog>
  );
}

function RefundForm({
  quote,
  values,
  message,
  failure,
  set,
  onSubmit,
}: {
  quote: RefundQuote;
  values: RefundFormValues;
  message: (field: keyof RefundFormValues) => string | undefined;
  failure: AppErrorInfo | null;
  set: (patch: Partial<RefundFormValues>) => void;
  onSubmit: () => void;
}) {
  const full = !quote.partialAllowed;
  const inFlight = BigInt(quote.inFlightMinor) > 0n;
  return (
    <Box
      component="form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
      sx={{ display: 'grid', gap: 2, pt: 1 }}
    >
      <FormError error={failure} />
      <Typography variant="body2" color="text.secondary">
        Captured {quote.captured} {quote.currency} · refunded {quote.refunded} {quote.currency}
        {inFlight ? ` · ${quote.inFlight} ${quote.currency} in refunds not yet settled` : ''} · at most{' '}
        <strong>
          {quote.refundable} {quote.currency}
        </strong>{' '}
        can be refunded now.
      </Typography>
      <TextField
        label="Amount"
        value={values.amount}
        onChange={(event) => set({ amount: event.target.value })}
        required
        autoFocus={!full}
        slotProps={{
          input: {
            readOnly: full,
            endAdornment: <InputAdornment position="end">{quote.currency}</InputAdornment>,
          },
          htmlInput: { inputMode: 'decimal', autoComplete: 'off' },
        }}
        error={Boolean(message('amount'))}
        helperText={
          message('amount') ??
          (full
            ? `${providerLabel(quote.provider)} refunds only the full amount.`
            : `Up to ${quote.refundable} ${quote.currency}; less for a partial refund.`)
        }
      />
      <TextField
        select
        label="Reason"
        value={values.reason}
        onChange={(event) => set({ reason: event.target.value as RefundReason })}
        required
        autoFocus={full}
        error={Boolean(message('reason'))}
        helperText={message('reason') ?? 'Kept with the refund and in the audit log.'}
      >
        {reasons.map((reason) => (
          <MenuItem key={reason} value={reason}>
            {refundReasonLabels[reason]}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        label={values.reason === 'other' ? 'Note' : 'Note (optional)'}
        value={values.note}
        onChange={(event) => set({ note: event.target.value })}
        required={values.reason === 'other'}
        multiline
        minRows={2}
        error={Boolean(message('note'))}
        helperText={message('note') ?? 'For colleagues and the audit log; the customer does not see it.'}
      />
      {/* Enter in a field reviews the refund, as the button does. */}
      <button type="submit" hidden />
    </Box>
  );
}
