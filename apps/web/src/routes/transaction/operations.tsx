import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useCan } from '../../app/session.tsx';
import { formatMinor } from '../../lib/format.ts';
import { Instant, Mono, RawStatus, Section, StatusChip } from './parts.tsx';
import { OperationReceiptButton } from './receipt-button.tsx';
import { humanize, operationStatusLook } from './status.ts';
import type { OperationView } from './types.ts';

function declineOf(op: OperationView): string | null {
  return [op.declineCode, op.declineMessage].filter(Boolean).join(': ') || null;
}

/** Operations a receipt is issued for: money that moved, in or back. */
const receiptTypes = new Set(['payment', 'subscription', 'refund']);
const hasReceipt = (op: OperationView) => op.status === 'succeeded' && receiptTypes.has(op.type);

export function Operations({
  transactionId,
  operations,
}: {
  transactionId: string;
  operations: readonly OperationView[];
}) {
  const anyDecline = operations.some((op) => declineOf(op) !== null);
  const receipts = useCan('receipt.download') && operations.some(hasReceipt);
  return (
    <Section
      title="Operations"
      description="What the provider did with the money: the payment itself, refunds, charges, chargebacks."
      padded={false}
    >
      {operations.length === 0 ? (
        <Typography color="text.secondary" sx={{ px: { xs: 2, sm: 3 }, pb: 2.5 }}>
          The provider has reported no operations for this transaction.
        </Typography>
      ) : (
        <TableContainer tabIndex={0} aria-label="Table of operations" role="region">
          <Table size="small" sx={{ minWidth: 760 }}>
            <TableHead>
              <TableRow>
                <TableCell sx={{ pl: { xs: 2, sm: 3 } }}>Type</TableCell>
                <TableCell>Status</TableCell>
                <TableCell align="right">Amount</TableCell>
                <TableCell align="right">Fee</TableCell>
                <TableCell>Provider id</TableCell>
                {anyDecline ? <TableCell>Decline</TableCell> : null}
                <TableCell>Created</TableCell>
                <TableCell sx={receipts ? {} : { pr: { xs: 2, sm: 3 } }}>Updated</TableCell>
                {receipts ? <TableCell sx={{ pr: { xs: 2, sm: 3 } }}>Receipt</TableCell> : null}
              </TableRow>
            </TableHead>
            <TableBody>
              {operations.map((op) => (
                <TableRow key={op.id}>
                  <TableCell component="th" scope="row" sx={{ pl: { xs: 2, sm: 3 }, fontWeight: 500 }}>
                    {humanize(op.type)}
                  </TableCell>
                  <TableCell>
                    <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 0.75 }}>
                      <StatusChip look={operationStatusLook(op.status)} />
                      <RawStatus value={op.rawStatus} showLabel={false} />
                    </Box>
                  </TableCell>
                  <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                    {formatMinor(op.amountMinor, op.currency)}
                  </TableCell>
                  <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                    {op.feeMinor === null ? '—' : formatMinor(op.feeMinor, op.currency)}
                  </TableCell>
                  <TableCell sx={{ maxWidth: 220, wordBreak: 'break-all' }}>
                    <Mono>{op.providerId}</Mono>
                  </TableCell>
                  {anyDecline ? (
                    <TableCell sx={{ minWidth: 160, maxWidth: 260 }}>{declineOf(op) ?? '—'}</TableCell>
                  ) : null}
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    <Instant iso={op.providerCreatedAt} stacked />
                  </TableCell>
                  <TableCell sx={{ pr: receipts ? undefined : { xs: 2, sm: 3 }, whiteSpace: 'nowrap' }}>
                    <Instant iso={op.providerUpdatedAt} stacked />
                  </TableCell>
                  {receipts ? (
                    <TableCell sx={{ pr: { xs: 2, sm: 3 } }}>
                      {hasReceipt(op) ? (
                        <OperationReceiptButton
                          transactionId={transactionId}
                          operationId={op.id}
                          label={`Download the receipt of the ${humanize(op.type).toLowerCase()} ${op.providerId}`}
                        />
                      ) : null}
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </Section>
  );
}
