import Button from '@mui/material/Button';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { FormError } from '../../components/form-error.tsx';
import { fieldMessage } from '../../lib/app-error.ts';
import { looksLikeCode, normaliseCode } from '../../lib/password.ts';
import { setMe, trpc, type SignedInUser } from '../../lib/trpc.ts';
import { CodeField } from './code-field.tsx';
import { StartOver } from './start-over.tsx';
import { failureOf, stepFailure } from './step-failure.ts';

export function VerifyStep({ user }: { user: SignedInUser }) {
  const [kind, setKind] = useState<'totp' | 'recovery'>('totp');
  const [code, setCode] = useState('');
  const [shapeProblem, setShapeProblem] = useState<string>();
  const verify = useMutation(
    trpc.auth.mfa.verify.mutationOptions({
      meta: { authFlow: true },
      onSuccess: setMe,
      onError: (error) => {
        setCode('');
        stepFailure(error);
      },
    }),
  );
  const failure = failureOf(verify.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const normalised = normaliseCode(code, kind);
    if (!looksLikeCode(normalised, kind)) {
      setShapeProblem(
        kind === 'totp' ? 'Enter the six digits your app shows.' : 'A recovery code looks like 1a2b-3c4d-5e.',
      );
      return;
    }
    setShapeProblem(undefined);
    verify.mutate({ code: normalised });
  };

  const switchKind = () => {
    setKind(kind === 'totp' ? 'recovery' : 'totp');
    setCode('');
    setShapeProblem(undefined);
    verify.reset();
  };

  return (
    <AuthLayout
      title="Two-factor authentication"
      subtitle={
        kind === 'totp'
          ? 'Open your authenticator app and enter the code it shows for Paydesk.'
          : 'Enter one of your recovery codes. Each code works only once.'
      }
    >
      <form onSubmit={submit} noValidate aria-label="Two-factor authentication">
        <FormError error={failure} />
        {/* The key remounts the field, so focus lands in the new, empty input after switching. */}
        <CodeField
          key={kind}
          kind={kind}
          value={code}
          onChange={setCode}
          error={shapeProblem ?? fieldMessage(failure, 'code')}
          autoFocus
        />
        <Button type="submit" variant="contained" size="large" fullWidth loading={verify.isPending}>
          Verify
        </Button>
      </form>
      <Button variant="text" size="small" onClick={switchKind} sx={{ mt: 2, display: 'block' }}>
        {kind === 'totp' ? 'Use a recovery code instead' : 'Use the code from your app instead'}
      </Button>
      <StartOver email={user.email} />
    </AuthLayout>
  );
}
