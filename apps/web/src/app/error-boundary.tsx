import ErrorOutlineIcon from '@mui/icons-material/ErrorOutlineOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { NotFound } from '../components/not-found.tsx';
import { usePageTitle } from '../components/page-header.tsx';
import { EmptyState } from '../components/states.tsx';

/**
 * A new release replaces the hashed chunks; a tab opened before it fails to load a lazy route. Then a
 * reload is the fix, not an apology.
 */
function isStaleChunk(error: unknown): boolean {
  return (
    error instanceof Error &&
    /dynamically imported module|Importing a module script failed|error loading dynamically/i.test(
      error.message,
    )
  );
}

export function RouteError() {
  const error = useRouteError();
  usePageTitle('Something went wrong');
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFound />;
  const stale = isStaleChunk(error);
  return (
    <EmptyState
      icon={<ErrorOutlineIcon />}
      title={stale ? 'Paydesk has been updated' : 'Something went wrong'}
      action={
        <Button variant="contained" onClick={() => window.location.reload()}>
          Reload the page
        </Button>
      }
    >
      {stale
        ? 'A newer version is available. Reload to continue.'
        : 'This page hit an unexpected error. Reloading usually helps; if it keeps happening, tell your administrator what you were doing.'}
    </EmptyState>
  );
}

/** The last line of defence, outside the layout: the error page still has a landmark and a title. */
export function RootError() {
  return (
    <Box component="main" sx={{ p: { xs: 2, md: 6 }, maxWidth: 720, mx: 'auto' }}>
      <RouteError />
    </Box>
  );
}
