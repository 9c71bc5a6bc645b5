import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { FormError } from '../../components/form-error.tsx';
import { ErrorState, Loading } from '../../components/states.tsx';
import { fieldMessage } from '../../lib/app-error.ts';
import { groupSecret, looksLikeCode, normaliseCode } from '../../lib/password.ts';
import { trpc, trpcClient, type Me, type SignedInUser } from '../../lib/trpc.ts';
import { CodeField } from './code-field.tsx';
import { StartOver } from './start-over.tsx';
import { failureOf, stepFailure } from './step-failure.ts';

export function EnrolStep({
  user,
  onEnrolled,
}: {
  user: SignedInUser;
  onEnrolled: (result: { recoveryCodes: string[]; me: Me }) => void;
}) {
  // beginEnrolment is a mutation (it stores a new pending secret), run as a query so it happens once per
  // visit: React's development double-mount and re-renders share one request, and focusing the window
  // must never replace the secret the user is scanning.
  const enrolment = useQuery({
    queryKey: ['auth', 'mfa', 'enrolment', user.id],
    queryFn: () => trpcClient.auth.mfa.beginEnrolment.mutate(),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    meta: { inlineErrors: true },
  });
  const [code, setCode] = useState('');
  const [shapeProblem, setShapeProblem] = useState<string>();
  const confirm = useMutation(
    trpc.auth.mfa.confirmEnrolment.mutationOptions({
      meta: { authFlow: true },
      onSuccess: onEnrolled,
      onError: (error) => {
        setCode('');
        stepFailure(error);
      },
    }),
  );
  const failure = failureOf(confirm.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const normalised = normaliseCode(code, 'totp');
    if (!looksLikeCode(normalised, 'totp')) {
      setShapeProblem('Enter the six digits your app shows.');
      return;
    }
    setShapeProblem(undefined);
    confirm.mutate({ code: normalised });
  };

  const body = (() => {
    if (enrolment.isPending) return <Loading label="Preparing your setup key…" />;
    if (enrolment.isError)
      return <ErrorState error={enrolment.error} onRetry={() => void enrolment.refetch()} />;
    const { secret, qrSvg } = enrolment.data;
    return (
      <form onSubmit={submit} noValidate aria-label="Set up two-factor authentication">
        <Typography component="h2" variant="h3" gutterBottom>
          1. Add Paydesk to your authenticator app
        </Typography>
        <Box sx={{ display: 'flex', gap: 3, alignItems: 'center', flexWrap: 'wrap', mb: 3 }}>
          <Box
            component="img"
            src={`data:image/svg+xml;utf8,${encodeURIComponent(qrSvg)}`}
            alt="QR code to scan with your authenticator app. If you cannot scan it, use the setup key beside it."
            sx={{
              width: 176,
              height: 176,
              border: 1,
              borderColor: 'divider',
              borderRadius: 1,
              p: 1,
              bgcolor: '#fff',
            }}
          />
          <Box sx={{ flex: '1 1 200px' }}>
            <Typography variant="body2" color="text.secondary" id="setup-key-label">
              Scan the QR code, or enter this setup key:
            </Typography>
            <Box
              component="code"
              data-testid="totp-secret"
              aria-describedby="setup-key-label"
              sx={{
                display: 'block',
                fontSize: '1.05rem',
                my: 1,
                wordSpacing: '0.3em',
                letterSpacing: '0.05em',
                fontWeight: 600,
                wordBreak: 'break-word',
              }}
            >
              {groupSecret(secret)}
            </Box>
            <CopyButton text={secret} label="Copy key" />
          </Box>
        </Box>
        <Typography component="h2" variant="h3" gutterBottom>
          2. Enter the code it shows
        </Typography>
        <FormError error={failure} />
        <CodeField
          kind="totp"
          value={code}
          onChange={setCode}
          error={shapeProblem ?? fieldMessage(failure, 'code')}
        />
        <Button type="submit" variant="contained" size="large" fullWidth loading={confirm.isPending}>
          Turn on two-factor authentication
        </Button>
      </form>
    );
  })();

  return (
    <AuthLayout
      wide
      title="Set up two-factor authentication"
      subtitle="Your role requires a second step at sign-in: a code from an authenticator app on your phone (such as Google Authenticator, Microsoft Authenticator or 1Password)."
    >
      {body}
      <StartOver email={user.email} />
    </AuthLayout>
  );
}
