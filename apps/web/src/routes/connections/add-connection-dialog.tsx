import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { ProviderName } from '@paydesk/domain';
import { FormError } from '../../components/form-error.tsx';
import { readAppError } from '../../lib/app-error.ts';
import { trpc } from '../../lib/trpc.ts';
import { modeCopy, modes, type Mode } from './copy.ts';
import { CredentialFields, secretInputProps } from './credential-fields.tsx';
import {
  credentialPath,
  credentialsInput,
  firstProblemPath,
  formAlert,
  missingRequired,
  problemAt,
  type FieldValues,
  type Problems,
} from './form.ts';
import type { ConnectionRow, ProviderForm } from './types.ts';
import { useFieldIds } from './use-field-ids.ts';

/**
 * Mounted only while open: when it closes, every value typed into it (secrets included) goes with it,
 * and the mutation that carried them is not kept in the cache (gcTime 0).
 */
export function AddConnectionDialog({
  forms,
  onClose,
  onCreated,
}: {
  forms: readonly ProviderForm[];
  onClose: () => void;
  onCreated: (connection: ConnectionRow) => void;
}) {
  const titleId = useId();
  const queryClient = useQueryClient();
  const { idFor, focus } = useFieldIds();
  const [provider, setProvider] = useState<ProviderName | ''>('');
  const [name, setName] = useState('');
  const [mode, setMode] = useState<Mode>('test');
  const [baseUrl, setBaseUrl] = useState('');
  const [credentials, setCredentials] = useState<FieldValues>({});
  const [webhookSecret, setWebhookSecret] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const form = forms.find((f) => f.provider === provider);

  const create = useMutation(
    trpc.connection.create.mutationOptions({
      meta: { inlineErrors: true },
      gcTime: 0,
      onSuccess: async (connection) => {
        await queryClient.invalidateQueries({ queryKey: trpc.connection.list.queryKey() });
        onCreated(connection);
      },
    }),
  );
  const failure = create.error ? readAppError(create.error) : null;

  const order = [
    'provider',
    'name',
    'mode',
    'baseUrl',
    ...(form?.fields.map((f) => credentialPath(f.name)) ?? []),
    ...(form && form.webhookSigning !== 'none' ? ['webhookSecret'] : []),
  ];
  const close = () => {
    if (!create.isPending) onClose();
  };
  const chooseProvider = (next: ProviderName) => {
    setProvider(next);
    // Each provider has its own fields: nothing typed for another one is kept.
    setCredentials({});
    setWebhookSecret('');
    setProblems({});
    create.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form) {
      setProblems({ provider: 'Choose the provider of this account.' });
      focus('provider');
      return;
    }
    const found = missingRequired([
      { path: 'name', label: 'Name', value: name },
      { path: 'baseUrl', label: 'Base URL', value: baseUrl },
      ...form.fields
        .filter((f) => f.required)
        .map((f) => ({ path: credentialPath(f.name), label: f.label, value: credentials[f.name] ?? '' })),
      ...(form.webhookSigning === 'required'
        ? [{ path: 'webhookSecret', label: 'Webhook secret', value: webhookSecret }]
        : []),
    ]);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      create.reset();
      focus(firstProblemPath(found, null, order));
      return;
    }
    create.mutate(
      {
        provider: form.provider,
        name: name.trim(),
        mode,
        baseUrl: baseUrl.trim(),
        credentials: credentialsInput(form.fields, credentials),
        ...(form.webhookSigning !== 'none' && webhookSecret.trim() ? { webhookSecret } : {}),
      },
      { onError: (error) => focus(firstProblemPath({}, readAppError(error), order)) },
    );
  };

  const message = (path: string) => problemAt(problems, failure, path);

  return (
    <Dialog open onClose={close} aria-labelledby={titleId} maxWidth="sm" fullWidth>
      <form onSubmit={submit} noValidate autoComplete="off">
        <DialogTitle id={titleId}>Add a connection</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            Connect an account you hold at a provider with its API credentials. They are stored encrypted;
            after saving, only their last four characters are ever shown.
          </DialogContentText>
          <FormError error={formAlert(failure, order)} />
          <TextField
            id={idFor('provider')}
            select
            label="Provider"
            required
            autoFocus
            value={provider}
            onChange={(e) => chooseProvider(e.target.value as ProviderName)}
            error={Boolean(message('provider'))}
            helperText={message('provider') ?? 'Where the account is. The fields below follow its API.'}
            sx={{ mt: 1 }}
          >
            {forms.map((f) => (
              <MenuItem key={f.provider} value={f.provider}>
                {f.label}
              </MenuItem>
            ))}
          </TextField>
          {form ? (
            <>
              <TextField
                id={idFor('name')}
                label="Name"
                required
                autoComplete="off"
                placeholder={`${form.label} – main shop`}
                value={name}
                onChange={(e) => setName(e.target.value)}
                error={Boolean(message('name'))}
                helperText={message('name') ?? 'How this account is called across Paydesk.'}
                sx={{ mt: 1 }}
              />
              <TextField
                id={idFor('mode')}
                select
                label="Mode"
                required
                value={mode}
                onChange={(e) => setMode(e.target.value as Mode)}
                error={Boolean(message('mode'))}
                helperText={message('mode') ?? modeCopy[mode].help}
                sx={{ mt: 1 }}
              >
                {modes.map((m) => (
                  <MenuItem key={m} value={m}>
                    {modeCopy[m].label}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                id={idFor('baseUrl')}
                label="Base URL"
                required
                type="url"
                autoComplete="off"
                placeholder="https://api.example.com"
                value={baseUrl}
                onChange={(e) => setBaseUrl(e.target.value)}
                error={Boolean(message('baseUrl'))}
                helperText={message('baseUrl') ?? `The address of ${form.label}’s API for this mode.`}
                sx={{ mt: 1 }}
                slotProps={{ htmlInput: { spellCheck: false } }}
              />
              <CredentialFields
                fields={form.fields}
                values={credentials}
                onChange={(field, value) => setCredentials((current) => ({ ...current, [field]: value }))}
                problems={problems}
                failure={failure}
                idFor={idFor}
              />
              {form.webhookSigning === 'none' ? (
                <Alert severity="info" sx={{ mt: 1 }}>
                  {form.webhookSecretHelp}
                </Alert>
              ) : (
                <TextField
                  id={idFor('webhookSecret')}
                  label="Webhook secret"
                  required={form.webhookSigning === 'required'}
                  value={webhookSecret}
                  onChange={(e) => setWebhookSecret(e.target.value)}
                  error={Boolean(message('webhookSecret'))}
                  helperText={message('webhookSecret') ?? form.webhookSecretHelp}
                  sx={{ mt: 1 }}
                  {...secretInputProps}
                />
              )}
            </>
          ) : null}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="contained" loading={create.isPending}>
            Add connection
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
