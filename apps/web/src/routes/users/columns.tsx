import Chip from '@mui/material/Chip';
import type { GridColDef } from '@mui/x-data-grid';
import { roleLabels } from '@paydesk/domain';
import { formatDateTime } from '../../lib/format.ts';
import { userStatuses } from './copy.ts';
import type { UserRow } from './types.ts';
import { UserActionsButton, type UserAction } from './user-actions-button.tsx';

export const sortableFields = [
  'name',
  'email',
  'role',
  'status',
  'mfaEnabled',
  'lastSignInAt',
  'createdAt',
] as const;

export function userColumns(options: {
  selfId: string;
  canManage: boolean;
  onAction: (action: UserAction, user: UserRow) => void;
}): GridColDef<UserRow>[] {
  const columns: GridColDef<UserRow>[] = [
    {
      field: 'name',
      headerName: 'Name',
      flex: 1,
      minWidth: 160,
      renderCell: ({ row }) => (row.id === options.selfId ? `${row.name} (you)` : row.name),
    },
    { field: 'email', headerName: 'E-mail', flex: 1.2, minWidth: 200 },
    { field: 'role', headerName: 'Role', width: 140, valueGetter: (_value, row) => roleLabels[row.role] },
    {
      field: 'status',
      headerName: 'Status',
      width: 130,
      valueGetter: (_value, row) => userStatuses[row.status].label,
      renderCell: ({ row }) => {
        const status = userStatuses[row.status];
        return <Chip size="small" label={status.label} color={status.color} variant="outlined" />;
      },
    },
    {
      field: 'mfaEnabled',
      headerName: 'Two-factor',
      width: 110,
      valueGetter: (_value, row) => (row.mfaEnabled ? 'On' : 'Off'),
    },
    {
      field: 'lastSignInAt',
      headerName: 'Last sign-in',
      minWidth: 180,
      flex: 0.8,
      valueFormatter: (value: string | null) => (value ? formatDateTime(value) : 'Never'),
    },
    {
      field: 'createdAt',
      headerName: 'Added',
      minWidth: 180,
      flex: 0.8,
      valueFormatter: (value: string) => formatDateTime(value),
    },
  ];
  if (options.canManage) {
    columns.push({
      field: 'actions',
      headerName: 'Actions',
      width: 90,
      sortable: false,
      filterable: false,
      disableColumnMenu: true,
      align: 'center',
      headerAlign: 'center',
      renderCell: (params) => (
        <UserActionsButton
          user={params.row}
          isSelf={params.row.id === options.selfId}
          tabIndex={params.tabIndex}
          hasFocus={params.hasFocus}
          onAction={options.onAction}
        />
      ),
    });
  }
  return columns;
}
