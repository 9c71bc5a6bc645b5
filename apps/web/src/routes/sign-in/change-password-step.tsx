import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { FormError } from '../../components/form-error.tsx';
import { NewPasswordFields } from '../../components/new-password-fields.tsx';
import { fieldMessage } from '../../lib/app-error.ts';
import { newPasswordProblems, type NewPasswordProblems } from '../../lib/password.ts';
import { setMe, trpc, type SignedInUser } from '../../lib/trpc.ts';
import { StartOver } from './start-over.tsx';
import { failureOf, stepFailure } from './step-failure.ts';

export function ChangePasswordStep({ user }: { user: SignedInUser }) {
  const [currentPassword, setCurrentPassword] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problems, setProblems] = useState<NewPasswordProblems>({});
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      meta: { authFlow: true },
      onSuccess: setMe,
      onError: stepFailure,
    }),
  );
  const failure = failureOf(change.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = newPasswordProblems(password, confirm);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    change.mutate({ currentPassword, newPassword: password });
  };

  return (
    <AuthLayout title="Choose a new password" subtitle="Your password has to be changed before you continue.">
      <form onSubmit={submit} noValidate aria-label="Change password">
        <FormError error={failure} />
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          autoFocus
          value={currentPassword}
          onChange={(e) => setCurrentPassword(e.target.value)}
          error={Boolean(fieldMessage(failure, 'currentPassword'))}
          helperText={fieldMessage(failure, 'currentPassword')}
          sx={{ mb: 2 }}
        />
        <NewPasswordFields
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          problems={problems}
          serverProblem={fieldMessage(failure, 'newPassword')}
        />
        <Button type="submit" variant="contained" size="large" fullWidth loading={change.isPending}>
          Change password
        </Button>
      </form>
      <StartOver email={user.email} />
    </AuthLayout>
  );
}
