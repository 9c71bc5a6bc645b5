import ManageSearchIcon from '@mui/icons-material/ManageSearch';
import PersonSearchIcon from '@mui/icons-material/PersonSearch';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState } from '../../components/states.tsx';
import { VisuallyHidden } from '../../components/visually-hidden.tsx';
import { readAppError } from '../../lib/app-error.ts';
import { trpc } from '../../lib/trpc.ts';
import { BackToTransactions } from '../transaction/back-link.tsx';
import { transactionsOfCustomerPath } from '../transaction/links.ts';
import { formatMinor } from '../../lib/format.ts';
import { Section } from '../transaction/parts.tsx';
import { instantParts } from '../transaction/time.ts';
import { ProviderChart } from './chart.tsx';
import { ProviderTable } from './provider-table.tsx';
import { customerTotals, looksLikeEmail, type CustomerSummary } from './totals.ts';

const count = new Intl.NumberFormat();

function SearchButton({ email }: { email: string }) {
  return (
    <Button
      component={RouterLink}
      to={transactionsOfCustomerPath(email)}
      variant="contained"
      startIcon={<ManageSearchIcon />}
    >
      All transactions of this customer
    </Button>
  );
}

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Paper sx={{ flex: '1 1 180px', minWidth: 0, px: 2.5, py: 2 }}>
      <Typography component="dt" variant="body2" color="text.secondary" sx={{ fontWeight: 500 }}>
        {label}
      </Typography>
      <Typography
        component="dd"
        sx={{
          m: 0,
          mt: 0.5,
          fontSize: '1.25rem',
          fontWeight: 600,
          lineHeight: 1.35,
          overflowWrap: 'anywhere',
        }}
      >
        {children}
      </Typography>
    </Paper>
  );
}

function CustomerSkeleton() {
  return (
    <Box role="status" aria-live="polite">
      <VisuallyHidden>Loading the customer…</VisuallyHidden>
      <Box aria-hidden>
        <Skeleton variant="text" width={260} height={44} />
        <Skeleton variant="text" width={200} sx={{ mb: 3 }} />
        <Box sx={{ display: 'flex', gap: 2, mb: 3 }}>
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} variant="rounded" height={84} sx={{ flex: 1 }} />
          ))}
        </Box>
        <Skeleton variant="rounded" height={300} />
      </Box>
    </Box>
  );
}

function CustomerBody({ summary }: { summary: CustomerSummary }) {
  const totals = customerTotals(summary.perProvider);
  const lastSeen = totals.lastAt ? instantParts(totals.lastAt) : null;
  return (
    <Box sx={{ display: 'grid', gap: 3 }}>
      <Box component="dl" aria-label="Totals" sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, m: 0 }}>
        <Stat label="Transactions">{count.format(totals.transactions)}</Stat>
        <Stat label="Succeeded">{count.format(totals.succeeded)}</Stat>
        <Stat label="Succeeded amount">
          {totals.amounts.length === 0
            ? '—'
            : totals.amounts.map((a) => (
                <Box component="span" key={a.currency} sx={{ display: 'block' }}>
                  {formatMinor(a.amountMinor, a.currency)}
                </Box>
              ))}
        </Stat>
        <Stat label="Last seen">
          {lastSeen && totals.lastAt ? (
            <time dateTime={totals.lastAt}>
              {lastSeen.day}
              <Box
                component="span"
                sx={{ display: 'block', fontSize: '0.875rem', fontWeight: 400, color: 'text.secondary' }}
              >
                {lastSeen.clock}
              </Box>
            </time>
          ) : (
            '—'
          )}
        </Stat>
      </Box>
      <Section
        title="By provider"
        description={`Where this customer paid: ${totals.providers} ${totals.providers === 1 ? 'provider' : 'providers'}, one row per currency.`}
        padded={false}
      >
        <Box sx={{ px: { xs: 1, sm: 2 }, pb: 1 }}>
          <ProviderChart rows={summary.perProvider} />
        </Box>
        <ProviderTable rows={summary.perProvider} />
      </Section>
    </Box>
  );
}

export function Component() {
  const { email: param } = useParams();
  const valid = looksLikeEmail(param);
  const email = valid ? param.trim() : '';
  const customer = useQuery(
    trpc.transaction.customer.queryOptions({ email }, { enabled: valid, meta: { inlineErrors: true } }),
  );
  const invalid = !valid || (customer.isError && readAppError(customer.error).trpcCode === 'BAD_REQUEST');

  if (invalid) {
    return (
      <>
        <BackToTransactions />
        <PageHeader title="Customer not found" />
        <EmptyState
          icon={<PersonSearchIcon />}
          title="This is not an e-mail address"
          action={
            <Button component={RouterLink} to="/transactions" variant="contained">
              Search the transactions
            </Button>
          }
        >
          A customer is found by the e-mail address they paid with. The link may be mistyped or cut short.
        </EmptyState>
      </>
    );
  }
  if (customer.isPending) return <CustomerSkeleton />;

  const name = customer.data?.name ?? null;
  // The server's spelling: it matches e-mails case-insensitively and answers in lower case.
  const shown = customer.data?.email ?? email;
  const header = (
    <>
      <BackToTransactions />
      <PageHeader
        title={name ?? shown}
        description={
          name ? (
            <>
              Customer{' '}
              <Box component="span" sx={{ color: 'text.primary', fontWeight: 500 }}>
                {shown}
              </Box>
              , across every provider account.
            </>
          ) : (
            'Customer, across every provider account.'
          )
        }
        actions={<SearchButton email={shown} />}
      />
    </>
  );

  if (customer.isError) {
    return (
      <>
        {header}
        <ErrorState
          error={customer.error}
          title="The customer could not be loaded"
          onRetry={() => void customer.refetch()}
        />
      </>
    );
  }
  if (customer.data.perProvider.length === 0) {
    return (
      <>
        {header}
        <EmptyState icon={<PersonSearchIcon />} title="No transactions with this e-mail">
          No provider has reported a payment by {shown}. The customer may have paid with another address, or
          the payment has not reached Paydesk yet.
        </EmptyState>
      </>
    );
  }
  return (
    <>
      {header}
      <CustomerBody summary={customer.data} />
    </>
  );
}
