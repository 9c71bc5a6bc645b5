import AddLinkIcon from '@mui/icons-material/AddLink';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Skeleton from '@mui/material/Skeleton';
import TextField from '@mui/material/TextField';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link as RouterLink } from 'react-router';
import { CopyButton } from '../../components/copy-button.tsx';
import { FormError } from '../../components/form-error.tsx';
import { fieldMessage, readAppError } from '../../lib/app-error.ts';
import { trpc, type RouterOutputs } from '../../lib/trpc.ts';
import { providerLabel } from './labels.ts';

type Options = RouterOutputs['paymentLink']['options'];
type Created = RouterOutputs['paymentLink']['create'];

interface LinkForm {
  connectionId: string;
  amount: string;
  currency: string;
  customerEmail: string;
  customerName: string;
  description: string;
}

/** The currencies a connection takes: its own list where the provider restricts them, else all. */
function currenciesOf(options: Options, connectionId: string): string[] {
  const connection = options.connections.find((each) => each.id === connectionId);
  return connection?.currencies ?? options.currencies.map((currency) => currency.code);
}

function LinkFormFields({ options, onCreated }: { options: Options; onCreated: (created: Created) => void }) {
  const queryClient = useQueryClient();
  const first = options.connections[0];
  const [form, setForm] = useState<LinkForm>({
    connectionId: first?.id ?? '',
    amount: '',
    currency: first ? (currenciesOf(options, first.id)[0] ?? 'EUR') : 'EUR',
    customerEmail: '',
    customerName: '',
    description: '',
  });
  const create = useMutation(
    trpc.paymentLink.create.mutationOptions({
      meta: { inlineErrors: true },
      onSuccess: onCreated,
      onSettled: () => queryClient.invalidateQueries(trpc.transaction.pathFilter()),
    }),
  );
  const failure = create.error ? readAppError(create.error) : null;
  const set = (patch: Partial<LinkForm>) => setForm((current) => ({ ...current, ...patch }));
  const currencies = currenciesOf(options, form.connectionId);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      connectionId: form.connectionId,
      amount: form.amount,
      currency: form.currency,
      customerEmail: form.customerEmail,
      ...(form.customerName.trim() ? { customerName: form.customerName } : {}),
      ...(form.description.trim() ? { description: form.description } : {}),
    });
  };
  const message = (field: keyof LinkForm) => fieldMessage(failure, field);

  return (
    <Box
      component="form"
      id="payment-link-form"
      onSubmit={submit}
      noValidate
      sx={{ display: 'grid', gap: 2, pt: 1 }}
    >
      <FormError error={failure} />
      <TextField
        select
        label="Provider account"
        value={form.connectionId}
        onChange={(event) => {
          const connectionId = event.target.value;
          const allowed = currenciesOf(options, connectionId);
          set({
            connectionId,
            currency: allowed.includes(form.currency) ? form.currency : (allowed[0] ?? ''),
          });
        }}
        required
        error={Boolean(message('connectionId'))}
        helperText={message('connectionId') ?? 'The customer pays on this provider’s hosted page.'}
      >
        {options.connections.map((connection) => (
          <MenuItem key={connection.id} value={connection.id}>
            {connection.name} · {providerLabel(connection.provider)}
            {connection.mode === 'test' ? ' (test)' : ''}
          </MenuItem>
        ))}
      </TextField>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 1fr)' }}>
        <TextField
          label="Amount"
          value={form.amount}
          onChange={(event) => set({ amount: event.target.value })}
          required
          autoFocus
          slotProps={{ htmlInput: { inputMode: 'decimal', autoComplete: 'off' } }}
          error={Boolean(message('amount'))}
          helperText={message('amount') ?? 'In major units, such as 49.90.'}
        />
        <TextField
          select
          label="Currency"
          value={form.currency}
          onChange={(event) => set({ currency: event.target.value })}
          required
          error={Boolean(message('currency'))}
          helperText={message('currency')}
        >
          {currencies.map((code) => (
            <MenuItem key={code} value={code}>
              {code}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <TextField
        label="Customer e-mail"
        type="email"
        value={form.customerEmail}
        onChange={(event) => set({ customerEmail: event.target.value })}
        required
        autoComplete="off"
        error={Boolean(message('customerEmail'))}
        helperText={message('customerEmail') ?? 'Finds the payment later in the search box.'}
      />
      <TextField
        label="Customer name (optional)"
        value={form.customerName}
        onChange={(event) => set({ customerName: event.target.value })}
        autoComplete="off"
        error={Boolean(message('customerName'))}
        helperText={message('customerName')}
      />
      <TextField
        label="Description (optional)"
        value={form.description}
        onChange={(event) => set({ description: event.target.value })}
        error={Boolean(message('description'))}
        helperText={message('description') ?? 'What the customer pays for, shown on the payment page.'}
      />
      <Box sx={{ display: 'flex', justifyContent: 'flex-end' }}>
        <Button type="submit" variant="contained" loading={create.isPending}>
          Create payment link
        </Button>
      </Box>
    </Box>
  );
}

function CreatedLink({ created }: { created: Created }) {
  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <Alert severity="success">
        <AlertTitle>Payment link ready</AlertTitle>
        {created.message}
      </Alert>
      <TextField
        label="Payment link"
        value={created.url}
        fullWidth
        slotProps={{ input: { readOnly: true } }}
        onFocus={(event) => event.target.select()}
      />
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'center' }}>
        <CopyButton text={created.url} label="Copy link" />
        {created.transactionId ? (
          <Link component={RouterLink} to={`/transactions/${created.transactionId}`}>
            Open the payment in Paydesk
          </Link>
        ) : null}
      </Box>
    </Box>
  );
}

/**
 * A hosted-payment-page session at any connected provider, for an amount, a currency and a customer:
 * the link to send them. The payment shows in the grid as soon as the provider knows it, and moves on
 * when the customer pays.
 */
export function PaymentLinkDialog({ onClose }: { onClose: () => void }) {
  const titleId = useId();
  const options = useQuery(
    trpc.paymentLink.options.queryOptions(undefined, { meta: { inlineErrors: true } }),
  );
  const [created, setCreated] = useState<Created | null>(null);
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} maxWidth="sm" fullWidth>
      <DialogTitle id={titleId}>New payment link</DialogTitle>
      <DialogContent>
        {options.isPending ? (
          <Box aria-busy="true" aria-label="Loading provider accounts">
            <Skeleton height={56} />
            <Skeleton height={56} />
          </Box>
        ) : options.isError ? (
          <Alert severity="error">{readAppError(options.error).userMessage}</Alert>
        ) : options.data.connections.length === 0 ? (
          <Alert severity="info">
            No enabled provider account can take payments yet: an administrator connects one in Settings →
            Connections.
          </Alert>
        ) : created ? (
          <CreatedLink created={created} />
        ) : (
          <LinkFormFields options={options.data} onCreated={setCreated} />
        )}
      </DialogContent>
      <DialogActions>
        {created ? <Button onClick={() => setCreated(null)}>Create another</Button> : null}
        <Button onClick={onClose}>{created ? 'Done' : 'Cancel'}</Button>
      </DialogActions>
    </Dialog>
  );
}

export function PaymentLinkButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="outlined" startIcon={<AddLinkIcon />} onClick={() => setOpen(true)}>
        New payment link
      </Button>
      {open ? <PaymentLinkDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}
