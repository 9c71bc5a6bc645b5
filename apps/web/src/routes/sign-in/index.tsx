import { useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { ErrorState, Loading } from '../../components/states.tsx';
import { useMe } from '../../app/session.tsx';
import { safeNext } from '../../lib/safe-next.ts';
import { setMe, type Me } from '../../lib/trpc.ts';
import { ChangePasswordStep } from './change-password-step.tsx';
import { EnrolStep } from './enrol-step.tsx';
import { PasswordStep } from './password-step.tsx';
import { RecoveryCodesStep } from './recovery-codes-step.tsx';
import { VerifyStep } from './verify-step.tsx';

/**
 * Sign-in is a sequence the server drives: each answer is the session's new state, and this page
 * shows the step that state asks for (password, new password, 2FA enrolment, 2FA code).
 */
export function Component() {
  const me = useMe();
  const [params] = useSearchParams();
  // Recovery codes are shown once, right after enrolment; the session is already signed in then, so
  // this step is held here rather than derived from the server's state.
  const [enrolled, setEnrolled] = useState<{ recoveryCodes: string[]; me: Me } | null>(null);

  if (enrolled) {
    return (
      <RecoveryCodesStep
        codes={enrolled.recoveryCodes}
        onDone={() => {
          setMe(enrolled.me);
          setEnrolled(null);
        }}
      />
    );
  }
  if (me.isPending) return <Loading fullPage />;
  if (me.isError) {
    return (
      <AuthLayout title="Sign in to Paydesk">
        <ErrorState error={me.error} title="Paydesk could not be reached" onRetry={() => void me.refetch()} />
      </AuthLayout>
    );
  }
  const state = me.data;
  switch (state.state) {
    case 'signed_in':
      return <Navigate to={safeNext(params.get('next'))} replace />;
    case 'signed_out':
      return <PasswordStep />;
    case 'password_change':
      return <ChangePasswordStep user={state.user} />;
    case 'mfa_enrolment':
      return <EnrolStep user={state.user} onEnrolled={setEnrolled} />;
    case 'mfa_verify':
      return <VerifyStep user={state.user} />;
  }
}
