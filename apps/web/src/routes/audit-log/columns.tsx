import Chip from '@mui/material/Chip';
import type { GridColDef } from '@mui/x-data-grid';
import { formatDateTime } from '../../lib/format.ts';
import { DetailsButton } from './details-button.tsx';
import { auditResults, targetOf, type AuditRow } from './results.ts';

export function auditColumns(onOpen: (row: AuditRow) => void): GridColDef<AuditRow>[] {
  return [
    {
      field: 'at',
      headerName: 'When',
      width: 215,
      valueFormatter: (value: string) => formatDateTime(value, { seconds: true }),
    },
    {
      field: 'actorEmail',
      headerName: 'Actor',
      flex: 1,
      minWidth: 160,
      valueGetter: (value: string | null) => value ?? 'System',
    },
    {
      field: 'action',
      headerName: 'Action',
      flex: 1,
      minWidth: 160,
      renderCell: ({ value }) => <code>{String(value)}</code>,
    },
    {
      field: 'target',
      headerName: 'Target',
      flex: 1,
      minWidth: 140,
      valueGetter: (_value, row) => targetOf(row),
    },
    {
      field: 'result',
      headerName: 'Result',
      width: 120,
      renderCell: ({ row }) => {
        const result = auditResults[row.result];
        return <Chip size="small" variant="outlined" label={result.label} color={result.color} />;
      },
    },
    {
      field: 'ip',
      headerName: 'IP address',
      width: 120,
      valueGetter: (value: string | null) => value ?? '—',
    },
    {
      field: 'details',
      headerName: 'Details',
      width: 90,
      sortable: false,
      disableColumnMenu: true,
      align: 'center',
      headerAlign: 'center',
      renderCell: (params) => (
        <DetailsButton
          label={`Details of ${params.row.action} at ${formatDateTime(params.row.at, { seconds: true })}`}
          tabIndex={params.tabIndex}
          hasFocus={params.hasFocus}
          onOpen={() => onOpen(params.row)}
        />
      ),
    },
  ];
}
