import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error.tsx';
import { readAppError } from '../../lib/app-error.ts';
import { toast } from '../../lib/toasts.ts';
import { trpc } from '../../lib/trpc.ts';
import { useReplaceConnection } from './cache.ts';
import { firstProblemPath, formAlert, missingRequired, problemAt, type Problems } from './form.ts';
import type { ConnectionRow } from './types.ts';
import { useFieldIds } from './use-field-ids.ts';

const order = ['name', 'baseUrl'];

/** Renames a connection or points it at another address. Mounted per connection, from its values. */
export function EditConnectionDialog({
  connection,
  providerName,
  onClose,
}: {
  connection: ConnectionRow;
  providerName: string;
  onClose: () => void;
}) {
  const titleId = useId();
  const { idFor, focus } = useFieldIds();
  const replace = useReplaceConnection();
  const [name, setName] = useState(connection.name);
  const [baseUrl, setBaseUrl] = useState(connection.baseUrl);
  const [problems, setProblems] = useState<Problems>({});
  const save = useMutation(
    trpc.connection.update.mutationOptions({
      meta: { inlineErrors: true },
      onSuccess: async (updated) => {
        toast('success', `${updated.name} was saved.`);
        onClose();
        await replace(updated);
      },
    }),
  );
  const failure = save.error ? readAppError(save.error) : null;
  const dirty = name.trim() !== connection.name || baseUrl.trim() !== connection.baseUrl;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = missingRequired([
      { path: 'name', label: 'Name', value: name },
      { path: 'baseUrl', label: 'Base URL', value: baseUrl },
    ]);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      save.reset();
      focus(firstProblemPath(found, null, order));
      return;
    }
    save.mutate(
      {
        id: connection.id,
        ...(name.trim() !== connection.name ? { name: name.trim() } : {}),
        ...(baseUrl.trim() !== connection.baseUrl ? { baseUrl: baseUrl.trim() } : {}),
      },
      { onError: (error) => focus(firstProblemPath({}, readAppError(error), order)) },
    );
  };
  const message = (path: string) => problemAt(problems, failure, path);

  return (
    <Dialog
      open
      onClose={save.isPending ? undefined : onClose}
      aria-labelledby={titleId}
      maxWidth="sm"
      fullWidth
    >
      <form onSubmit={submit} noValidate autoComplete="off">
        <DialogTitle id={titleId}>Edit {connection.name}</DialogTitle>
        <DialogContent>
          <FormError error={formAlert(failure, order)} />
          <TextField
            id={idFor('name')}
            label="Name"
            required
            autoFocus
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={Boolean(message('name'))}
            helperText={message('name') ?? 'How this account is called across Paydesk.'}
            sx={{ mt: 1 }}
          />
          <TextField
            id={idFor('baseUrl')}
            label="Base URL"
            required
            type="url"
            autoComplete="off"
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
            error={Boolean(message('baseUrl'))}
            helperText={
              message('baseUrl') ??
              `The address of ${providerName}’s API. Test the connection after changing it.`
            }
            sx={{ mt: 1 }}
            slotProps={{ htmlInput: { spellCheck: false } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="contained" disabled={!dirty} loading={save.isPending}>
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
