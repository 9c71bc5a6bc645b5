import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import UndoIcon from '@mui/icons-material/Undo';
import {
  GridActionsCellItem,
  type GridColDef,
  type GridColumnVisibilityModel,
  type GridDensity,
} from '@mui/x-data-grid';
import { VisuallyHidden } from '../../components/visually-hidden.tsx';
import { formatDateTimeIn, formatMinor } from '../../lib/format.ts';
import { maskedCard, providerLabel, statusOf, transactionKindLabels, type TransactionRow } from './labels.ts';
import { sortFields } from './url-state.ts';

/** Shown until the agent picks their own columns; "Last update" is there to sort by, or to turn on. */
export const defaultColumnVisibility: GridColumnVisibilityModel = { updatedAt: false };

const mono = {
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  fontSize: '0.8125rem',
};

function Code({ value }: { value: string | null }) {
  if (!value) return <>—</>;
  return (
    <Box component="span" sx={{ ...mono, overflow: 'hidden', textOverflow: 'ellipsis' }} title={value}>
      {value}
    </Box>
  );
}

function StatusCell({ row }: { row: TransactionRow }) {
  const status = statusOf(row.status);
  return (
    <Tooltip title={`Provider status: ${row.rawStatus}`} describeChild>
      <Chip size="small" variant="outlined" color={status.color} label={status.label} />
    </Tooltip>
  );
}

function CustomerCell({ row, density }: { row: TransactionRow; density: GridDensity }) {
  const primary = row.customerEmail ?? row.customerName;
  if (!primary) return <>—</>;
  const secondary = row.customerEmail && row.customerName ? row.customerName : null;
  return (
    <Box sx={{ minWidth: 0, lineHeight: 1.3 }}>
      <Typography variant="body2" noWrap title={primary}>
        {primary}
      </Typography>
      {secondary && density !== 'compact' ? (
        <Typography variant="caption" component="div" color="text.secondary" noWrap title={secondary}>
          {secondary}
        </Typography>
      ) : null}
      {secondary && density === 'compact' ? <VisuallyHidden>{`, ${secondary}`}</VisuallyHidden> : null}
    </Box>
  );
}

const sortable = new Set<string>(sortFields);

export function zoneCity(zone: string): string {
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}

/**
 * The grid's columns. Only the fields the API sorts by are sortable: sorting one page in the browser
 * would show a misleading order.
 */
/** Rows the grid offers a refund for; the transaction page's dialog then asks the server what is left. */
const refundableStatuses = new Set(['succeeded', 'partially_refunded']);
export const canOfferRefund = (row: TransactionRow) =>
  row.kind !== 'payout' && refundableStatuses.has(row.status);

export function transactionColumns(options: {
  zone: string;
  density: GridDensity;
  /** Given when the user may refund: the row action (also reached by keyboard) opens the refund. */
  onRefund?: ((row: TransactionRow) => void) | undefined;
}): GridColDef<TransactionRow>[] {
  const columns: GridColDef<TransactionRow>[] = [
    {
      field: 'occurredAt',
      // "Europe/Berlin" → "Berlin": the header stays short; its tooltip names the whole zone.
      headerName: `Occurred (${zoneCity(options.zone)})`,
      description: `When the payment happened, in ${options.zone}`,
      width: 215,
      valueFormatter: (value: string) => formatDateTimeIn(value, options.zone),
    },
    {
      field: 'provider',
      headerName: 'Provider',
      width: 130,
      valueGetter: (_value, row) => providerLabel(row.provider),
    },
    { field: 'connectionName', headerName: 'Connection', minWidth: 150, flex: 0.6 },
    {
      field: 'status',
      headerName: 'Status',
      width: 175,
      display: 'flex',
      valueGetter: (_value, row) => statusOf(row.status).label,
      renderCell: ({ row }) => (
        <>
          <StatusCell row={row} />
          <VisuallyHidden>{`, provider status ${row.rawStatus}`}</VisuallyHidden>
        </>
      ),
    },
    {
      field: 'kind',
      headerName: 'Kind',
      width: 115,
      valueGetter: (_value, row) => transactionKindLabels[row.kind],
    },
    {
      field: 'amount',
      headerName: 'Amount',
      width: 150,
      align: 'right',
      headerAlign: 'right',
      cellClassName: 'numeric',
      valueGetter: (_value, row) => formatMinor(row.amountMinor, row.currency),
    },
    {
      field: 'refunded',
      headerName: 'Refunded',
      width: 130,
      align: 'right',
      headerAlign: 'right',
      cellClassName: 'numeric',
      valueGetter: (_value, row) =>
        row.refundedMinor === '0' ? '—' : formatMinor(row.refundedMinor, row.currency),
    },
    {
      field: 'customerEmail',
      headerName: 'Customer',
      minWidth: 220,
      flex: 1,
      display: 'flex',
      renderCell: ({ row }) => <CustomerCell row={row} density={options.density} />,
    },
    {
      field: 'card',
      headerName: 'Card',
      width: 165,
      cellClassName: 'numeric',
      valueGetter: (_value, row) => maskedCard(row),
    },
    {
      field: 'method',
      headerName: 'Method',
      width: 120,
      valueGetter: (value: string | null) => value ?? '—',
    },
    {
      field: 'providerId',
      headerName: 'Provider id',
      minWidth: 180,
      flex: 0.8,
      renderCell: ({ row }) => <Code value={row.providerId} />,
    },
    {
      field: 'reference',
      headerName: 'Reference',
      minWidth: 160,
      flex: 0.7,
      renderCell: ({ row }) => <Code value={row.reference} />,
    },
    {
      field: 'updatedAt',
      headerName: 'Last update',
      width: 215,
      valueFormatter: (value: string) => formatDateTimeIn(value, options.zone),
    },
  ];
  const { onRefund } = options;
  if (onRefund) {
    columns.push({
      field: 'actions',
      type: 'actions',
      headerName: 'Actions',
      width: 80,
      getActions: ({ row }) =>
        canOfferRefund(row)
          ? [
              <GridActionsCellItem
                key="refund"
                icon={<UndoIcon />}
                label={`Refund ${formatMinor(row.amountMinor, row.currency)} ${row.reference}`}
                onClick={() => onRefund(row)}
              />,
            ]
          : [],
    });
  }
  return columns.map((column) => ({ ...column, sortable: sortable.has(column.field) }));
}
