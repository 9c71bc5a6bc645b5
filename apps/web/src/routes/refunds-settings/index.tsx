import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, Loading } from '../../components/states.tsx';
import { fieldMessage, readAppError } from '../../lib/app-error.ts';
import { toast } from '../../lib/toasts.ts';
import { trpc, type RouterOutputs } from '../../lib/trpc.ts';
import { zoneOptions } from '../transactions/time-zone.ts';

type Policy = RouterOutputs['refund']['policy'];
type Profile = RouterOutputs['merchant']['get'];

/** The currencies the policy form always offers (more appear when the policy names them). */
const usualCurrencies = ['EUR', 'USD', 'GBP', 'CHF', 'JPY'];

/** Thresholds as the form holds them: an empty field means "no threshold in this currency". */
function thresholdsOf(form: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(form)
      .map(([currency, amount]) => [currency, amount.trim()] as const)
      .filter(([, amount]) => amount !== ''),
  );
}

function ApprovalPolicyForm({ policy }: { policy: Policy }) {
  const queryClient = useQueryClient();
  const currencies = [...new Set([...usualCurrencies, ...Object.keys(policy.thresholds)])];
  const [thresholds, setThresholds] = useState<Record<string, string>>(() =>
    Object.fromEntries(currencies.map((currency) => [currency, policy.thresholds[currency] ?? ''])),
  );
  const [share, setShare] = useState(policy.maxSharePercent === null ? '' : String(policy.maxSharePercent));
  const save = useMutation(
    trpc.refund.updatePolicy.mutationOptions({
      meta: { inlineErrors: true },
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.refund.policy.queryKey(), saved);
        toast('success', 'Refund approval policy saved.');
      },
    }),
  );
  const failure = save.error ? readAppError(save.error) : null;
  const shareNumber = share.trim() === '' ? null : Number(share);
  const shareError =
    shareNumber !== null && !(Number.isFinite(shareNumber) && shareNumber >= 0 && shareNumber <= 100)
      ? 'A share between 0 and 100 percent, or empty for no such rule.'
      : fieldMessage(failure, 'maxSharePercent');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (shareError) return;
    save.mutate({ thresholds: thresholdsOf(thresholds), maxSharePercent: shareNumber });
  };

  return (
    <Paper component="form" onSubmit={submit} noValidate sx={{ p: 3 }} aria-labelledby="approval-policy">
      <Typography id="approval-policy" variant="h2" component="h2">
        Four-eyes approval
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5, mb: 2 }}>
        A refund at or above the amount set for its currency, or above the share of its payment, waits in
        Refund approvals until someone else who may approve refunds approves it. Leave a field empty for no
        limit in that currency.
      </Typography>
      <FormError error={failure} />
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))' }}>
        {currencies.map((currency) => {
          const message = failure?.fields.find((f) => f.path.endsWith(`thresholds.${currency}`))?.message;
          return (
            <TextField
              key={currency}
              label={`Refunds in ${currency} from`}
              value={thresholds[currency] ?? ''}
              onChange={(event) =>
                setThresholds((current) => ({ ...current, [currency]: event.target.value }))
              }
              error={Boolean(message)}
              helperText={message}
              slotProps={{
                input: { endAdornment: <InputAdornment position="end">{currency}</InputAdornment> },
                htmlInput: { inputMode: 'decimal' },
              }}
            />
          );
        })}
      </Box>
      <TextField
        label="Refunds above this share of the payment"
        value={share}
        onChange={(event) => setShare(event.target.value)}
        error={Boolean(shareError)}
        helperText={shareError ?? 'Percent of the payment’s amount; empty for no such rule.'}
        sx={{ mt: 2, maxWidth: 360 }}
        fullWidth
        slotProps={{
          input: { endAdornment: <InputAdornment position="end">%</InputAdornment> },
          htmlInput: { inputMode: 'decimal' },
        }}
      />
      <Box sx={{ mt: 2 }}>
        <Button type="submit" variant="contained" loading={save.isPending}>
          Save approval policy
        </Button>
      </Box>
    </Paper>
  );
}

function MerchantProfileForm({ profile }: { profile: Profile }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(profile.name);
  const [timeZone, setTimeZone] = useState(profile.timeZone);
  const save = useMutation(
    trpc.merchant.update.mutationOptions({
      meta: { inlineErrors: true },
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.merchant.get.queryKey(), saved);
        toast('success', 'Receipt details saved.');
      },
    }),
  );
  const failure = save.error ? readAppError(save.error) : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ name, timeZone });
  };
  return (
    <Paper component="form" onSubmit={submit} noValidate sx={{ p: 3 }} aria-labelledby="receipt-details">
      <Typography id="receipt-details" variant="h2" component="h2">
        Receipts
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5, mb: 2 }}>
        The merchant named on the receipts Paydesk draws (for Gate and Paytone payments, and refunds), and the
        time zone their dates are written in.
      </Typography>
      <FormError error={failure} />
      <Box sx={{ display: 'grid', gap: 2, maxWidth: 480 }}>
        <TextField
          label="Merchant name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          required
          error={Boolean(fieldMessage(failure, 'name'))}
          helperText={fieldMessage(failure, 'name')}
        />
        <Autocomplete
          options={zoneOptions(profile.timeZone)}
          value={timeZone}
          onChange={(_, zone) => setTimeZone(zone ?? 'UTC')}
          disableClearable
          renderInput={(params) => (
            <TextField
              {...params}
              label="Time zone of receipts"
              error={Boolean(fieldMessage(failure, 'timeZone'))}
              helperText={fieldMessage(failure, 'timeZone')}
            />
          )}
        />
      </Box>
      <Box sx={{ mt: 2 }}>
        <Button type="submit" variant="contained" loading={save.isPending}>
          Save receipt details
        </Button>
      </Box>
    </Paper>
  );
}

export function Component() {
  const policy = useQuery(trpc.refund.policy.queryOptions(undefined, { meta: { inlineErrors: true } }));
  const profile = useQuery(trpc.merchant.get.queryOptions(undefined, { meta: { inlineErrors: true } }));
  return (
    <>
      <PageHeader
        title="Refunds & receipts"
        description="When a refund needs a second person’s approval, and what the receipts Paydesk draws say."
      />
      <Box sx={{ display: 'grid', gap: 3, maxWidth: 880 }}>
        {policy.isPending ? (
          <Loading label="Loading the approval policy…" />
        ) : policy.isError ? (
          <ErrorState error={policy.error} onRetry={() => void policy.refetch()} />
        ) : (
          <ApprovalPolicyForm policy={policy.data} />
        )}
        {profile.isPending ? (
          <Loading label="Loading the receipt details…" />
        ) : profile.isError ? (
          <ErrorState error={profile.error} onRetry={() => void profile.refetch()} />
        ) : (
          <MerchantProfileForm profile={profile.data} />
        )}
      </Box>
    </>
  );
}
