import SearchOffIcon from '@mui/icons-material/SearchOff';
import Button from '@mui/material/Button';
import { Link as RouterLink } from 'react-router';
import { usePageTitle } from './page-header.tsx';
import { EmptyState } from './states.tsx';

export function NotFound() {
  usePageTitle('Page not found');
  return (
    <EmptyState
      icon={<SearchOffIcon />}
      title="Page not found"
      action={
        <Button component={RouterLink} to="/" variant="contained">
          Go to the start page
        </Button>
      }
    >
      There is nothing at this address. The link may be mistyped or out of date.
    </EmptyState>
  );
}
