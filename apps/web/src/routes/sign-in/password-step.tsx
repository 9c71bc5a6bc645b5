import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { FormError } from '../../components/form-error.tsx';
import { fieldMessage, readAppError } from '../../lib/app-error.ts';
import { setMe, trpc } from '../../lib/trpc.ts';

export function PasswordStep() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      meta: { authFlow: true },
      onSuccess: setMe,
      // Never leave a refused password in the field: the next try starts clean.
      onError: () => setPassword(''),
    }),
  );
  const failure = signIn.error ? readAppError(signIn.error) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email: email.trim(), password });
  };

  return (
    <AuthLayout title="Sign in to Paydesk">
      <form onSubmit={submit} noValidate aria-label="Sign in">
        <FormError error={failure} />
        <TextField
          label="E-mail"
          type="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={Boolean(fieldMessage(failure, 'email'))}
          helperText={fieldMessage(failure, 'email')}
          sx={{ mb: 2 }}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={Boolean(fieldMessage(failure, 'password'))}
          helperText={fieldMessage(failure, 'password')}
          sx={{ mb: 3 }}
        />
        <Button type="submit" variant="contained" size="large" fullWidth loading={signIn.isPending}>
          Sign in
        </Button>
      </form>
    </AuthLayout>
  );
}
