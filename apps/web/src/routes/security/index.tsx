import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import Paper from '@mui/material/Paper';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { roleLabels, roles, type Role } from '@paydesk/domain';
import { FormError } from '../../components/form-error.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, Loading } from '../../components/states.tsx';
import { readAppError } from '../../lib/app-error.ts';
import { toast } from '../../lib/toasts.ts';
import { trpc, type RouterOutputs } from '../../lib/trpc.ts';

type Policy = RouterOutputs['settings']['getSecurity'];

const sameRoles = (a: readonly Role[], b: readonly Role[]) =>
  a.length === b.length && a.every((r) => b.includes(r));

function SecurityForm({ policy }: { policy: Policy }) {
  const queryClient = useQueryClient();
  const [required, setRequired] = useState<Role[]>(policy.mfaRequiredRoles);
  const save = useMutation(
    trpc.settings.updateSecurity.mutationOptions({
      meta: { inlineErrors: true },
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.settings.getSecurity.queryKey(), saved);
        toast('success', 'Security settings saved.');
      },
    }),
  );
  const dirty = !sameRoles(required, policy.mfaRequiredRoles);

  const toggle = (role: Role, checked: boolean) =>
    setRequired((current) =>
      checked ? roles.filter((r) => r === role || current.includes(r)) : current.filter((r) => r !== role),
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ mfaRequiredRoles: required });
  };

  return (
    <Paper component="form" onSubmit={submit} noValidate sx={{ p: 3, maxWidth: 640 }}>
      <FormError error={save.error ? readAppError(save.error) : null} />
      <FormControl component="fieldset" variant="standard">
        <FormLabel component="legend" sx={{ fontWeight: 600, color: 'text.primary', mb: 1 }}>
          Two-factor authentication is required for
        </FormLabel>
        <FormGroup>
          {roles.map((role) => (
            <FormControlLabel
              key={role}
              label={roleLabels[role]}
              control={
                <Checkbox
                  checked={required.includes(role)}
                  onChange={(e) => toggle(role, e.target.checked)}
                />
              }
            />
          ))}
        </FormGroup>
        <FormHelperText>
          People in a checked role set up an authenticator app at their next sign-in, and enter a code from it
          every time they sign in.
        </FormHelperText>
      </FormControl>
      {!required.includes('admin') ? (
        <Alert severity="warning" sx={{ mt: 2 }}>
          Administrators can change everything, including who has access. Keeping two-factor required for them
          is strongly recommended.
        </Alert>
      ) : null}
      <Box sx={{ display: 'flex', gap: 1, mt: 3 }}>
        <Button type="submit" variant="contained" disabled={!dirty} loading={save.isPending}>
          Save
        </Button>
        <Button
          type="button"
          disabled={!dirty || save.isPending}
          onClick={() => setRequired(policy.mfaRequiredRoles)}
        >
          Undo changes
        </Button>
      </Box>
    </Paper>
  );
}

export function Component() {
  const policy = useQuery(trpc.settings.getSecurity.queryOptions());
  return (
    <>
      <PageHeader title="Security" description="Sign-in rules for everyone in your organisation." />
      {policy.isPending ? (
        <Loading />
      ) : policy.isError ? (
        <ErrorState error={policy.error} onRetry={() => void policy.refetch()} />
      ) : (
        // Keyed by the saved policy, so the form restarts from what the server holds after a save.
        <SecurityForm key={policy.data.mfaRequiredRoles.join(',')} policy={policy.data} />
      )}
    </>
  );
}
