import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import InputAdornment from '@mui/material/InputAdornment';
import TextField from '@mui/material/TextField';
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error.tsx';
import { readAppError } from '../../lib/app-error.ts';
import { toast } from '../../lib/toasts.ts';
import { trpc } from '../../lib/trpc.ts';
import { useReplaceConnection } from './cache.ts';
import { secretInputProps } from './credential-fields.tsx';
import {
  defaultOverlapHours,
  firstProblemPath,
  formAlert,
  maxOverlapHours,
  missingRequired,
  overlapProblem,
  problemAt,
  type Problems,
} from './form.ts';
import type { ConnectionRow, ProviderForm } from './types.ts';
import { useFieldIds } from './use-field-ids.ts';

const order = ['secret', 'overlapHours'];

/**
 * A new secret for the webhooks the provider signs. The previous one keeps verifying for the overlap,
 * so deliveries signed before the provider switched are not refused.
 */
export function RotateWebhookSecretDialog({
  connection,
  form,
  onClose,
}: {
  connection: ConnectionRow;
  form: ProviderForm | undefined;
  onClose: () => void;
}) {
  const titleId = useId();
  const { idFor, focus } = useFieldIds();
  const replace = useReplaceConnection();
  const [secret, setSecret] = useState('');
  const [overlap, setOverlap] = useState(String(defaultOverlapHours));
  const [problems, setProblems] = useState<Problems>({});
  const rotate = useMutation(
    trpc.connection.rotateWebhookSecret.mutationOptions({
      meta: { inlineErrors: true },
      gcTime: 0,
      onSuccess: async (updated) => {
        toast('success', `New webhook secret saved for ${updated.name}.`);
        onClose();
        await replace(updated);
      },
    }),
  );
  const failure = rotate.error ? readAppError(rotate.error) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = missingRequired([{ path: 'secret', label: 'New webhook secret', value: secret }]);
    const overlapIssue = overlapProblem(overlap);
    if (overlapIssue) found.overlapHours = overlapIssue;
    setProblems(found);
    if (Object.keys(found).length > 0) {
      rotate.reset();
      focus(firstProblemPath(found, null, order));
      return;
    }
    rotate.mutate(
      { id: connection.id, secret, overlapHours: Number(overlap.trim()) },
      { onError: (error) => focus(firstProblemPath({}, readAppError(error), order)) },
    );
  };
  const message = (path: string) => problemAt(problems, failure, path);

  return (
    <Dialog
      open
      onClose={rotate.isPending ? undefined : onClose}
      aria-labelledby={titleId}
      maxWidth="sm"
      fullWidth
    >
      <form onSubmit={submit} noValidate autoComplete="off">
        <DialogTitle id={titleId}>Rotate the webhook secret of {connection.name}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {connection.webhookSecretHint
              ? `Webhooks are now verified with the secret ending ${connection.webhookSecretHint.replace(/^•+/, '')}. `
              : 'No webhook secret is set yet. '}
            Save the new secret here first, then change it in {form?.label ?? 'the provider'}’s backoffice.
          </DialogContentText>
          <FormError error={formAlert(failure, order)} />
          <TextField
            id={idFor('secret')}
            label="New webhook secret"
            required
            autoFocus
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            error={Boolean(message('secret'))}
            helperText={message('secret') ?? form?.webhookSecretHelp ?? ' '}
            sx={{ mt: 1 }}
            {...secretInputProps}
          />
          <TextField
            id={idFor('overlapHours')}
            label="Keep accepting the previous secret for"
            required
            value={overlap}
            onChange={(e) => setOverlap(e.target.value)}
            error={Boolean(message('overlapHours'))}
            helperText={
              message('overlapHours') ??
              `Webhooks signed with the previous secret are accepted this long (0 to ${maxOverlapHours} hours), while the provider switches over.`
            }
            sx={{ mt: 2, maxWidth: 360 }}
            slotProps={{
              htmlInput: { inputMode: 'numeric' },
              input: { endAdornment: <InputAdornment position="end">hours</InputAdornment> },
            }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={rotate.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="contained" loading={rotate.isPending}>
            Save new secret
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
