import BlockIcon from '@mui/icons-material/Block';
import Button from '@mui/material/Button';
import { Link as RouterLink } from 'react-router';
import { usePageTitle } from './page-header.tsx';
import { EmptyState } from './states.tsx';

/** 403: the user is signed in but their role does not allow this screen. */
export function NoAccess({ message }: { message?: string }) {
  usePageTitle('No access');
  return (
    <EmptyState
      icon={<BlockIcon />}
      title="You don’t have access to this page"
      action={
        <Button component={RouterLink} to="/" variant="contained">
          Go to the start page
        </Button>
      }
    >
      {message ??
        'Your role does not include this. If you need it for your work, ask an administrator to change your role.'}
    </EmptyState>
  );
}
