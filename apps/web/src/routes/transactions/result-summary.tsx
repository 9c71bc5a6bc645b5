import HistoryIcon from '@mui/icons-material/History';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { RouterOutputs } from '../../lib/trpc.ts';
import { maxRows } from './url-state.ts';

type ListResult = RouterOutputs['transaction']['list'];

const count = new Intl.NumberFormat();

/** "1,234 transactions", or "10,000+" where the server stopped counting. */
export function countLabel(total: number, capped: boolean): string {
  if (capped) return `${count.format(maxRows)}+ transactions`;
  return total === 1 ? '1 transaction' : `${count.format(total)} transactions`;
}

/** How many matched and over which dates: said plainly, above the rows, and announced when it changes. */
export function ResultSummary({ result }: { result: ListResult | undefined }) {
  if (!result) {
    return (
      <Typography variant="body2" color="text.secondary" role="status">
        Loading transactions…
      </Typography>
    );
  }
  const { window } = result;
  return (
    <Box
      role="status"
      sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 1.5, rowGap: 0.25, alignItems: 'baseline' }}
    >
      <Typography variant="subtitle2" component="span">
        {countLabel(result.total, result.totalIsCapped)}
      </Typography>
      {result.totalIsCapped ? (
        <Typography variant="body2" component="span" color="text.secondary">
          Only the first {count.format(maxRows)} can be paged through: filters or a search narrow them down.
        </Typography>
      ) : null}
      {window.isDefault ? (
        <Typography variant="body2" component="span" color="text.secondary">
          Showing the last 30 days. Pick dates to look further back.
        </Typography>
      ) : null}
      {window.widened ? (
        <Typography
          variant="body2"
          component="span"
          sx={{ color: 'warning.main', display: 'inline-flex', alignItems: 'center', gap: 0.5 }}
        >
          <HistoryIcon fontSize="small" aria-hidden />
          Nothing happened in the last 30 days, so transactions from all time are shown.
        </Typography>
      ) : null}
    </Box>
  );
}
