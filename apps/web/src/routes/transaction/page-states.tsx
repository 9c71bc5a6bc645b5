import SearchOffIcon from '@mui/icons-material/SearchOff';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import { Link as RouterLink } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState } from '../../components/states.tsx';
import { VisuallyHidden } from '../../components/visually-hidden.tsx';
import { BackToTransactions } from './back-link.tsx';

function SkeletonSection({ rows, height = 22 }: { rows: number; height?: number }) {
  return (
    <Paper sx={{ p: 3 }}>
      <Skeleton variant="text" width={140} height={32} />
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} variant="text" height={height} width={`${90 - ((i * 13) % 35)}%`} />
      ))}
    </Paper>
  );
}

/** The page's shape while it loads, so nothing jumps when it arrives. */
export function TransactionSkeleton() {
  return (
    <Box role="status" aria-live="polite">
      <VisuallyHidden>Loading the transaction…</VisuallyHidden>
      <Box aria-hidden>
        <Skeleton variant="text" width={170} height={24} sx={{ mb: 1.5 }} />
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 1 }}>
          <Skeleton variant="text" width={220} height={52} />
          <Skeleton variant="rounded" width={96} height={32} />
          <Box sx={{ flex: 1 }} />
          <Skeleton variant="rounded" width={190} height={36} />
        </Box>
        <Skeleton variant="text" width={320} sx={{ mb: 3 }} />
        <Box
          sx={{
            display: 'grid',
            gap: 3,
            gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 2fr) minmax(0, 1fr)' },
          }}
        >
          <Paper sx={{ p: 3 }}>
            <Skeleton variant="text" width={140} height={32} />
            <Box sx={{ display: 'flex', gap: 1.5, my: 2 }}>
              {[0, 1, 2, 3].map((i) => (
                <Skeleton key={i} variant="rounded" height={62} sx={{ flex: 1 }} />
              ))}
            </Box>
            {[0, 1, 2, 3, 4, 5].map((i) => (
              <Skeleton key={i} variant="text" height={24} width={`${85 - ((i * 11) % 30)}%`} />
            ))}
          </Paper>
          <SkeletonSection rows={5} height={24} />
        </Box>
        <Box sx={{ display: 'grid', gap: 3, mt: 3 }}>
          <SkeletonSection rows={3} />
          <SkeletonSection rows={6} height={40} />
        </Box>
      </Box>
    </Box>
  );
}

export function TransactionNotFound({ malformed }: { malformed: boolean }) {
  return (
    <>
      <BackToTransactions />
      <PageHeader title="Transaction not found" />
      <EmptyState
        icon={<SearchOffIcon />}
        title={malformed ? 'This is not a transaction id' : 'No transaction has this id'}
        action={
          <Button component={RouterLink} to="/transactions" variant="contained">
            Search the transactions
          </Button>
        }
      >
        {malformed
          ? 'Paydesk’s transaction ids look like 3f2b8c1e-…: the link may be mistyped or cut short. To find a payment by its provider id, merchant reference, e-mail or card’s last four, search the transactions.'
          : 'It may have been mistyped, or it belongs to another Paydesk installation. To find a payment by its provider id, merchant reference, e-mail or card’s last four, search the transactions.'}
      </EmptyState>
    </>
  );
}

export function TransactionLoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <>
      <BackToTransactions />
      <PageHeader title="Transaction" />
      <ErrorState error={error} title="The transaction could not be loaded" onRetry={onRetry} />
    </>
  );
}
