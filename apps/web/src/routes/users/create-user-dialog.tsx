import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { roleLabels, roles, type Role } from '@paydesk/domain';
import { FormError } from '../../components/form-error.tsx';
import { fieldMessage, readAppError } from '../../lib/app-error.ts';
import { trpc } from '../../lib/trpc.ts';
import { roleDescriptions } from './copy.ts';
import type { IssuedLink } from './setup-link-dialog.tsx';

export function CreateUserDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (link: IssuedLink) => void;
}) {
  const titleId = useId();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('support');
  const create = useMutation(
    trpc.user.create.mutationOptions({
      meta: { inlineErrors: true },
      onSuccess: async ({ user, setupUrl }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.user.list.queryKey() });
        setEmail('');
        setName('');
        setRole('support');
        onCreated({ name: user.name, email: user.email, setupUrl, created: true });
      },
    }),
  );
  const failure = create.error ? readAppError(create.error) : null;

  const close = () => {
    if (create.isPending) return;
    create.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ email: email.trim(), name: name.trim(), role });
  };

  return (
    <Dialog open={open} onClose={close} aria-labelledby={titleId} maxWidth="sm" fullWidth>
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Add a user</DialogTitle>
        <DialogContent>
          <FormError error={failure} />
          <TextField
            label="Name"
            required
            autoFocus
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={Boolean(fieldMessage(failure, 'name'))}
            helperText={fieldMessage(failure, 'name') ?? ' '}
            sx={{ mt: 1 }}
          />
          <TextField
            label="E-mail"
            type="email"
            required
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={Boolean(fieldMessage(failure, 'email'))}
            helperText={fieldMessage(failure, 'email') ?? 'They sign in with this address.'}
            sx={{ mt: 1 }}
          />
          <TextField
            select
            label="Role"
            required
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            error={Boolean(fieldMessage(failure, 'role'))}
            helperText={fieldMessage(failure, 'role') ?? roleDescriptions[role]}
            sx={{ mt: 1 }}
          >
            {roles.map((r) => (
              <MenuItem key={r} value={r}>
                {roleLabels[r]}
              </MenuItem>
            ))}
          </TextField>
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="contained" loading={create.isPending}>
            Add user
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
