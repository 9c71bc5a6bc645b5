import FilterAltOffIcon from '@mui/icons-material/FilterAltOff';
import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import SearchOffIcon from '@mui/icons-material/SearchOff';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { Link as RouterLink } from 'react-router';
import { EmptyState } from '../../components/states.tsx';
import { screen } from '../../app/navigation.ts';

/**
 * When this search or these filters match nothing: why, and the way out. Shown in place of the grid,
 * not as its overlay: buttons inside an ARIA grid that has no rows break its structure for screen readers.
 */
export function NoMatches({
  invalidFilters,
  filtered,
  searched,
  onClearFilters,
  onClearSearch,
}: {
  invalidFilters: boolean;
  filtered: boolean;
  searched: boolean;
  onClearFilters: () => void;
  onClearSearch: () => void;
}) {
  const title = invalidFilters
    ? 'Some filters need fixing'
    : searched && !filtered
      ? 'No transaction matches this search'
      : 'No transactions match';
  const hint = invalidFilters
    ? 'Correct the highlighted fields above, or clear the filters.'
    : searched && !filtered
      ? 'Check what was typed: the search looks for a whole id, e-mail address or card number, not a part of one.'
      : searched
        ? 'Clear a filter or widen the dates, or check the search.'
        : 'Widen the dates or clear a filter.';
  return (
    <EmptyState
      icon={<SearchOffIcon />}
      title={title}
      action={
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', justifyContent: 'center' }}>
          {filtered || invalidFilters ? (
            <Button variant="contained" startIcon={<FilterAltOffIcon />} onClick={onClearFilters}>
              Clear filters
            </Button>
          ) : null}
          {searched ? (
            <Button variant={filtered || invalidFilters ? 'outlined' : 'contained'} onClick={onClearSearch}>
              Clear the search
            </Button>
          ) : null}
        </Box>
      }
    >
      {hint}
    </EmptyState>
  );
}

/** A page past the last one (an old link): said in the grid, whose pager leads back. */
export function EmptyPageOverlay() {
  return (
    <Box
      sx={{
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        gap: 0.5,
        height: '100%',
        p: 3,
        textAlign: 'center',
      }}
    >
      <Typography variant="h3" component="p">
        Nothing on this page
      </Typography>
      <Typography variant="body2" color="text.secondary">
        The results have fewer pages now: go back to an earlier one.
      </Typography>
    </Box>
  );
}

/** Nothing in the ledger at all: it fills once provider accounts are connected. */
export function NoTransactionsYet({ canConnect }: { canConnect: boolean }) {
  const connections = screen('connections');
  return (
    <EmptyState
      icon={<ReceiptLongIcon />}
      title="No transactions yet"
      action={
        canConnect ? (
          <Button component={RouterLink} to={connections.path} variant="contained">
            Connect a provider account
          </Button>
        ) : null
      }
    >
      {canConnect
        ? 'Paydesk lists the payments it learns about from your provider accounts. Connect one in Settings → Connections and its transactions appear here as they happen.'
        : 'Paydesk lists the payments it learns about from your provider accounts, and none is connected yet. An administrator connects them in Settings → Connections.'}
    </EmptyState>
  );
}
