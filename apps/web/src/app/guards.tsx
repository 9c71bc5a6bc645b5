import { Navigate, Outlet, useLocation } from 'react-router';
import type { Permission } from '@paydesk/domain';
import { NoAccess } from '../components/no-access.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { signInPath } from '../lib/safe-next.ts';
import { AppLayout } from './layout/app-layout.tsx';
import { SignedInUserContext, useCan, useMe } from './session.tsx';
import Box from '@mui/material/Box';

/** Everything but sign-in needs a fully signed-in session; anything less goes to the sign-in steps. */
export function RequireSignedIn() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading fullPage label="Loading Paydesk…" />;
  if (me.isError) {
    return (
      <Box component="main" sx={{ p: 4, maxWidth: 640, mx: 'auto' }}>
        <ErrorState error={me.error} title="Paydesk could not start" onRetry={() => void me.refetch()} />
      </Box>
    );
  }
  if (me.data.state !== 'signed_in') {
    return <Navigate to={signInPath(`${location.pathname}${location.search}`)} replace />;
  }
  return (
    <SignedInUserContext value={me.data.user}>
      <AppLayout user={me.data.user} />
    </SignedInUserContext>
  );
}

/** A screen the user's role may not open shows "no access" in place (the server refuses it anyway). */
export function RequirePermission({ permission }: { permission: Permission }) {
  return useCan(permission) ? <Outlet /> : <NoAccess />;
}
