import Button from '@mui/material/Button';
import Alert from '@mui/material/Alert';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { FormError } from '../../components/form-error.tsx';
import { NewPasswordFields } from '../../components/new-password-fields.tsx';
import { fieldMessage, readAppError } from '../../lib/app-error.ts';
import { newPasswordProblems, type NewPasswordProblems } from '../../lib/password.ts';
import { setMe, trpc } from '../../lib/trpc.ts';
import { tokenFromHash } from './token.ts';

/** The page of a one-time setup link: a new user (or one whose password was reset) chooses a password. */
export function Component() {
  const location = useLocation();
  const navigate = useNavigate();
  // Read once: the fragment is dropped from the address bar after success (the token is spent anyway).
  const [token] = useState(() => tokenFromHash(location.hash));
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problems, setProblems] = useState<NewPasswordProblems>({});
  const complete = useMutation(
    trpc.auth.completeSetup.mutationOptions({
      meta: { authFlow: true },
      onSuccess: (me) => {
        setMe(me);
        // The sign-in page shows whatever step is left (2FA enrolment) or opens the app.
        void navigate('/sign-in', { replace: true });
      },
    }),
  );
  const failure = complete.error ? readAppError(complete.error) : null;

  if (!token) {
    return (
      <AuthLayout title="Set up your account">
        <Alert severity="error">
          This setup link is incomplete. Open the whole link you were given, or ask an administrator for a new
          one.
        </Alert>
      </AuthLayout>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = newPasswordProblems(password, confirm);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    complete.mutate({ token, password });
  };

  return (
    <AuthLayout
      title="Set up your account"
      subtitle="Choose the password you will use to sign in to Paydesk."
    >
      <form onSubmit={submit} noValidate aria-label="Choose a password">
        <FormError error={failure} />
        <NewPasswordFields
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          problems={problems}
          serverProblem={fieldMessage(failure, 'password')}
          autoFocus
        />
        <Button type="submit" variant="contained" size="large" fullWidth loading={complete.isPending}>
          Set password and continue
        </Button>
      </form>
    </AuthLayout>
  );
}
