import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import Link from '@mui/material/Link';
import { Link as RouterLink, useLocation, useNavigate } from 'react-router';
import { backTarget, previousHistoryUrl } from './back.ts';

/** "Back to transactions": to the grid with the filters the user left it with (see back.ts). */
export function BackToTransactions() {
  const location = useLocation();
  const navigate = useNavigate();
  // Read at each render: cheap, and the page re-renders whenever the location (and so the entry) changes.
  const target = backTarget(location.state, previousHistoryUrl(), window.location.origin);
  return (
    <Link
      component={RouterLink}
      to={target.to}
      onClick={(event) => {
        // A middle or modified click opens the link in a new tab, as links do.
        if (
          !target.historyBack ||
          event.button !== 0 ||
          event.metaKey ||
          event.ctrlKey ||
          event.shiftKey ||
          event.altKey
        )
          return;
        event.preventDefault();
        void navigate(-1);
      }}
      underline="hover"
      sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, mb: 1.5, fontWeight: 500 }}
    >
      <ArrowBackIcon fontSize="small" aria-hidden />
      Back to transactions
    </Link>
  );
}
