import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { roleLabels, roles, type Role } from '@paydesk/domain';
import { FormError } from '../../components/form-error.tsx';
import { readAppError } from '../../lib/app-error.ts';
import { toast } from '../../lib/toasts.ts';
import { trpc } from '../../lib/trpc.ts';
import { roleDescriptions } from './copy.ts';
import type { UserRow } from './types.ts';

/** Mounted per user (keyed by the caller), so the choice starts at that user's current role. */
export function RoleDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const titleId = useId();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>(user.role);
  const save = useMutation(
    trpc.user.setRole.mutationOptions({
      meta: { inlineErrors: true },
      onSuccess: async (updated) => {
        await queryClient.invalidateQueries({ queryKey: trpc.user.list.queryKey() });
        toast('success', `${updated.name} is now ${roleLabels[updated.role]}.`);
        onClose();
      },
    }),
  );

  return (
    <Dialog
      open
      onClose={save.isPending ? undefined : onClose}
      aria-labelledby={titleId}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id={titleId}>Change the role of {user.name}</DialogTitle>
      <DialogContent>
        <FormError error={save.error ? readAppError(save.error) : null} />
        <RadioGroup aria-labelledby={titleId} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {roles.map((r) => (
            <FormControlLabel
              key={r}
              value={r}
              control={<Radio />}
              sx={{ alignItems: 'flex-start', mb: 1, '& .MuiRadio-root': { pt: 0.5 } }}
              label={
                <span>
                  <Typography component="span" sx={{ display: 'block', fontWeight: 600 }}>
                    {roleLabels[r]}
                    {r === user.role ? ' (current)' : ''}
                  </Typography>
                  <Typography component="span" variant="body2" color="text.secondary">
                    {roleDescriptions[r]}
                  </Typography>
                </span>
              }
            />
          ))}
        </RadioGroup>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={save.isPending}>
          Cancel
        </Button>
        <Button
          variant="contained"
          disabled={role === user.role}
          loading={save.isPending}
          onClick={() => save.mutate({ id: user.id, role })}
        >
          Change role
        </Button>
      </DialogActions>
    </Dialog>
  );
}
