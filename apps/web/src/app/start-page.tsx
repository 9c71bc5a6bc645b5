import { Navigate } from 'react-router';
import { EmptyState } from '../components/states.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { homePath } from './navigation.ts';
import { useSignedInUser } from './session.tsx';

/** "/" opens the first screen the user's role allows. */
export function StartPage() {
  const user = useSignedInUser();
  const home = homePath(user.permissions);
  if (home) return <Navigate to={home} replace />;
  return (
    <>
      <PageHeader title={`Welcome, ${user.name}`} />
      <EmptyState title="Nothing to show yet">
        Your role does not give access to any screen. Ask an administrator for the access you need.
      </EmptyState>
    </>
  );
}
