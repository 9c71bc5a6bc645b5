import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { formatMinor } from '../../lib/format.ts';
import { Instant } from '../transaction/parts.tsx';
import { providerLabel } from '../transactions/labels.ts';
import type { ProviderRow } from './totals.ts';

const count = new Intl.NumberFormat();

export function ProviderTable({ rows }: { rows: readonly ProviderRow[] }) {
  return (
    <TableContainer tabIndex={0} role="region" aria-label="Transactions per provider and currency">
      <Table size="small" sx={{ minWidth: 620, '& td, & th': { whiteSpace: 'nowrap' } }}>
        <TableHead>
          <TableRow>
            <TableCell sx={{ pl: { xs: 2, sm: 3 } }}>Provider</TableCell>
            <TableCell>Currency</TableCell>
            <TableCell align="right">Transactions</TableCell>
            <TableCell align="right">Succeeded</TableCell>
            <TableCell align="right">Succeeded amount</TableCell>
            <TableCell sx={{ pr: { xs: 2, sm: 3 } }}>Last seen</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={`${row.provider}-${row.currency}`}>
              <TableCell component="th" scope="row" sx={{ pl: { xs: 2, sm: 3 }, fontWeight: 500 }}>
                {providerLabel(row.provider)}
              </TableCell>
              <TableCell>{row.currency}</TableCell>
              <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                {count.format(row.transactions)}
              </TableCell>
              <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                {count.format(row.succeeded)}
              </TableCell>
              <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                {formatMinor(row.amountMinor, row.currency)}
              </TableCell>
              <TableCell sx={{ pr: { xs: 2, sm: 3 } }}>
                <Instant iso={row.lastAt} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
