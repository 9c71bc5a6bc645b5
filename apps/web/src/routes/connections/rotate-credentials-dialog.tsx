import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error.tsx';
import { readAppError } from '../../lib/app-error.ts';
import { toast } from '../../lib/toasts.ts';
import { trpc } from '../../lib/trpc.ts';
import { useReplaceConnection } from './cache.ts';
import { CredentialFields } from './credential-fields.tsx';
import {
  credentialPath,
  credentialsInput,
  firstProblemPath,
  formAlert,
  missingRequired,
  prefilledCredentials,
  type FieldValues,
  type Problems,
} from './form.ts';
import type { ConnectionRow, ProviderForm } from './types.ts';
import { useFieldIds } from './use-field-ids.ts';

/**
 * Replaces the credentials as a whole. Fields shown in clear start from their current values; secrets
 * start empty (the page never has them). Mounted only while open, like the form that adds one.
 */
export function RotateCredentialsDialog({
  connection,
  form,
  onClose,
}: {
  connection: ConnectionRow;
  form: ProviderForm;
  onClose: () => void;
}) {
  const titleId = useId();
  const { idFor, focus } = useFieldIds();
  const replace = useReplaceConnection();
  const [values, setValues] = useState<FieldValues>(() => prefilledCredentials(form.fields, connection));
  const [problems, setProblems] = useState<Problems>({});
  const order = form.fields.map((f) => credentialPath(f.name));
  const rotate = useMutation(
    trpc.connection.rotateCredentials.mutationOptions({
      meta: { inlineErrors: true },
      gcTime: 0,
      onSuccess: async (updated) => {
        toast('success', `New credentials saved for ${updated.name}. Test the connection to check them.`);
        onClose();
        await replace(updated);
      },
    }),
  );
  const failure = rotate.error ? readAppError(rotate.error) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = missingRequired(
      form.fields
        .filter((f) => f.required)
        .map((f) => ({ path: credentialPath(f.name), label: f.label, value: values[f.name] ?? '' })),
    );
    setProblems(found);
    if (Object.keys(found).length > 0) {
      rotate.reset();
      focus(firstProblemPath(found, null, order));
      return;
    }
    rotate.mutate(
      { id: connection.id, credentials: credentialsInput(form.fields, values) },
      { onError: (error) => focus(firstProblemPath({}, readAppError(error), order)) },
    );
  };

  return (
    <Dialog
      open
      onClose={rotate.isPending ? undefined : onClose}
      aria-labelledby={titleId}
      maxWidth="sm"
      fullWidth
    >
      <form onSubmit={submit} noValidate autoComplete="off">
        <DialogTitle id={titleId}>Rotate the credentials of {connection.name}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            Enter the new credentials from {form.label}’s backoffice. The current ones are replaced and
            forgotten as soon as you save; the last test result is cleared.
          </DialogContentText>
          <FormError error={formAlert(failure, order)} />
          <CredentialFields
            fields={form.fields}
            values={values}
            onChange={(field, value) => setValues((current) => ({ ...current, [field]: value }))}
            problems={problems}
            failure={failure}
            idFor={idFor}
            autoFocus
            secretPlaceholder={(field) => {
              const hint = connection.credentialHints[field.name];
              return hint ? `Now ${hint}` : undefined;
            }}
          />
          {connection.webhookSecretHint ? (
            <Alert severity="info" sx={{ mt: 1 }}>
              Webhooks are still verified with the secret ending{' '}
              {connection.webhookSecretHint.replace(/^•+/, '')}. If that was the old credentials’ secret,
              rotate the webhook secret too.
            </Alert>
          ) : null}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={rotate.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="contained" loading={rotate.isPending}>
            Save new credentials
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
