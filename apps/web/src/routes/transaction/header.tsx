import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { usePageTitle } from '../../components/page-header.tsx';
import { formatMinor } from '../../lib/format.ts';
import { providerLabel, transactionKindLabels } from '../transactions/labels.ts';
import { RawStatus, StatusChip } from './parts.tsx';
import { transactionStatusLook } from './status.ts';
import type { TransactionView } from './types.ts';

/** The page's h1: the amount and currency, with the unified status beside the provider's own word. */
export function TransactionHeader({
  transaction: t,
  actions,
}: {
  transaction: TransactionView;
  actions: ReactNode;
}) {
  const amount = formatMinor(t.amountMinor, t.currency);
  usePageTitle(`${amount} ${transactionKindLabels[t.kind].toLowerCase()} ${t.reference}`);
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', gap: 2, mb: 3 }}>
      <Box sx={{ flex: '1 1 360px', minWidth: 0 }}>
        <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: 1.5, rowGap: 1 }}>
          <Typography
            variant="h1"
            component="h1"
            sx={{ fontSize: '2rem', fontVariantNumeric: 'tabular-nums' }}
          >
            {amount}
            {amount.includes(t.currency) ? null : ' '}
            {amount.includes(t.currency) ? null : (
              <Box component="span" sx={{ fontSize: '1rem', fontWeight: 500, color: 'text.secondary' }}>
                {t.currency}
              </Box>
            )}
          </Typography>
          <StatusChip look={transactionStatusLook(t.status)} size="medium" />
          <RawStatus value={t.rawStatus} />
          {t.testMode === 'test' ? <Chip size="small" variant="outlined" label="Test mode" /> : null}
        </Box>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 0.75 }}>
          {transactionKindLabels[t.kind]} at {providerLabel(t.provider)} · {t.reference}
        </Typography>
      </Box>
      {actions ? (
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>{actions}</Box>
      ) : null}
    </Box>
  );
}
