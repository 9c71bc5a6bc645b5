import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import { Link as RouterLink } from 'react-router';
import { useCan } from '../../app/session.tsx';
import { formatMinor } from '../../lib/format.ts';
import { providerLabel, transactionKindLabels } from '../transactions/labels.ts';
import { CopyIconButton } from './copy-icon-button.tsx';
import { customerPath, transactionsOfCustomerPath } from './links.ts';
import { Detail, DetailList, Mono, Section } from './parts.tsx';
import { humanize, maskedCard } from './status.ts';
import type { TransactionDetail } from './types.ts';

function Figure({ label, value, emphasis }: { label: string; value: string; emphasis?: boolean }) {
  return (
    <Box
      sx={{
        flex: '1 1 140px',
        minWidth: 0,
        px: 2,
        py: 1.5,
        borderRadius: 1,
        bgcolor: (theme) => (emphasis ? alpha(theme.palette.primary.main, 0.05) : theme.palette.grey[50]),
        border: 1,
        borderColor: 'divider',
      }}
    >
      <Typography component="dt" variant="caption" sx={{ color: 'text.secondary', fontWeight: 600 }}>
        {label}
      </Typography>
      <Typography
        component="dd"
        sx={{
          m: 0,
          fontSize: '1.0625rem',
          fontWeight: 600,
          fontVariantNumeric: 'tabular-nums',
          overflowWrap: 'anywhere',
        }}
      >
        {value}
      </Typography>
    </Box>
  );
}

export function Summary({ detail }: { detail: TransactionDetail }) {
  const { transaction: t, connection } = detail;
  const canSeeConnections = useCan('connection.read');
  const money = (minor: string) => formatMinor(minor, t.currency);
  const card = maskedCard(t);

  return (
    <Section title="Summary">
      {t.declineCode || t.declineMessage ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          <AlertTitle>{t.status === 'failed' ? 'Failed' : 'Declined'} by the provider</AlertTitle>
          {t.declineCode ? (
            <>
              Code <Mono>{t.declineCode}</Mono>
              {t.declineMessage ? ': ' : null}
            </>
          ) : null}
          {t.declineMessage}
        </Alert>
      ) : null}
      <Box
        component="dl"
        aria-label="Amounts"
        sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5, m: 0, mb: 2.5 }}
      >
        <Figure label="Amount" value={money(t.amountMinor)} emphasis />
        <Figure label="Refunded" value={money(t.refundedMinor)} />
        <Figure label="Refundable" value={money(detail.refundableMinor)} />
        {BigInt(detail.pendingRefundsMinor) === 0n ? null : (
          <Figure label="Pending refunds" value={money(detail.pendingRefundsMinor)} />
        )}
        <Figure label="Fees" value={t.feeMinor === null ? 'Not reported' : money(t.feeMinor)} />
      </Box>
      <DetailList>
        <Detail term="Provider">{providerLabel(t.provider)}</Detail>
        <Detail term="Connection">
          {canSeeConnections ? (
            <Link component={RouterLink} to="/settings/connections">
              {connection.name}
            </Link>
          ) : (
            connection.name
          )}
          {connection.enabled ? null : (
            <Chip size="small" variant="outlined" label="Disabled" sx={{ ml: 1 }} />
          )}
        </Detail>
        <Detail term="Kind">{transactionKindLabels[t.kind]}</Detail>
        <Detail term="Method">{t.method ? humanize(t.method) : '—'}</Detail>
        <Detail term="Card">{card ? <Mono>{card}</Mono> : '—'}</Detail>
        <Detail term="Customer">
          {t.customerEmail ? (
            <>
              {t.customerName ? (
                <Box component="span" sx={{ display: 'block', fontWeight: 500 }}>
                  {t.customerName}
                </Box>
              ) : null}
              <Link component={RouterLink} to={customerPath(t.customerEmail)}>
                {t.customerEmail}
              </Link>
              <Box component="span" sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 2, mt: 0.5 }}>
                <Link component={RouterLink} to={transactionsOfCustomerPath(t.customerEmail)} variant="body2">
                  All transactions of this customer
                </Link>
                <Link component={RouterLink} to={customerPath(t.customerEmail)} variant="body2">
                  Customer view
                </Link>
              </Box>
            </>
          ) : (
            (t.customerName ?? 'Not reported by the provider')
          )}
        </Detail>
        <Detail term="Merchant reference">
          <Mono>{t.reference}</Mono>
          <CopyIconButton text={t.reference} label="Copy the merchant reference" />
        </Detail>
        <Detail term="Provider id">
          <Mono>{t.providerId}</Mono>
          <CopyIconButton text={t.providerId} label="Copy the provider id" />
        </Detail>
        <Detail term="Paydesk id">
          <Mono>{t.id}</Mono>
        </Detail>
      </DetailList>
    </Section>
  );
}
