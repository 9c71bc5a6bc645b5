import PersonAddIcon from '@mui/icons-material/PersonAdd';
import SearchIcon from '@mui/icons-material/Search';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import { DataGrid, type GridPaginationModel, type GridSortModel } from '@mui/x-data-grid';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { roleLabels } from '@paydesk/domain';
import { useCan, useSignedInUser } from '../../app/session.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { formatSort, parsePage, parsePageSize, parseSort, withParams } from '../../lib/grid-url.ts';
import { trpc } from '../../lib/trpc.ts';
import { sortableFields, userColumns } from './columns.tsx';
import { ConfirmUserAction, type ConfirmedAction } from './confirm-user-action.tsx';
import { CreateUserDialog } from './create-user-dialog.tsx';
import { RoleDialog } from './role-dialog.tsx';
import { SetupLinkDialog, type IssuedLink } from './setup-link-dialog.tsx';
import type { UserRow } from './types.ts';
import type { UserAction } from './user-actions-button.tsx';
import { NoUsersOverlay } from './no-users-overlay.tsx';

const pageSizes = [25, 50, 100] as const;

export function matchesSearch(user: UserRow, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  return [user.name, user.email, roleLabels[user.role], user.status].some((v) =>
    v.toLowerCase().includes(needle),
  );
}

export function Component() {
  const me = useSignedInUser();
  const canManage = useCan('user.manage');
  const [params, setParams] = useSearchParams();
  const users = useQuery(trpc.user.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<IssuedLink | null>(null);
  const [pending, setPending] = useState<{ action: UserAction; user: UserRow } | null>(null);

  const search = params.get('q') ?? '';
  const sortModel: GridSortModel = parseSort(params.get('sort'), sortableFields);
  const paginationModel: GridPaginationModel = {
    page: parsePage(params.get('page')),
    pageSize: parsePageSize(params.get('size'), pageSizes, 25),
  };
  const update = (changes: Record<string, string | number | null>) =>
    setParams((current) => withParams(current, changes), { replace: true });

  const rows = useMemo(
    () => (users.data ?? []).filter((u) => matchesSearch(u, search)),
    [users.data, search],
  );
  const columns = useMemo(
    () => userColumns({ selfId: me.id, canManage, onAction: (action, user) => setPending({ action, user }) }),
    [me.id, canManage],
  );

  return (
    <>
      <PageHeader
        title="Users"
        description="Who can sign in to Paydesk, and with which role. New users get a one-time setup link to choose their password."
        actions={
          canManage ? (
            <Button variant="contained" startIcon={<PersonAddIcon />} onClick={() => setCreating(true)}>
              Add user
            </Button>
          ) : null
        }
      />
      <TextField
        type="search"
        label="Search users"
        placeholder="Name, e-mail, role or status"
        value={search}
        onChange={(e) => update({ q: e.target.value, page: null })}
        sx={{ mb: 2, maxWidth: 420 }}
        slotProps={{
          input: {
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon fontSize="small" />
              </InputAdornment>
            ),
          },
        }}
      />
      {users.isError ? (
        <ErrorState
          error={users.error}
          title="The users could not be loaded"
          onRetry={() => void users.refetch()}
        />
      ) : (
        <Paper sx={{ width: '100%' }}>
          <DataGrid
            aria-label="Users"
            autoHeight
            rows={rows}
            columns={columns}
            loading={users.isPending}
            sortModel={sortModel}
            onSortModelChange={(model) => update({ sort: formatSort(model), page: null })}
            paginationModel={paginationModel}
            onPaginationModelChange={(model) =>
              update({
                page: model.page > 0 ? model.page + 1 : null,
                size: model.pageSize === 25 ? null : model.pageSize,
              })
            }
            pageSizeOptions={[...pageSizes]}
            disableRowSelectionOnClick
            disableColumnFilter
            slots={{ noRowsOverlay: NoUsersOverlay, noResultsOverlay: NoUsersOverlay }}
            sx={{ border: 0 }}
          />
        </Paper>
      )}
      <CreateUserDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(link) => {
          setCreating(false);
          setIssued(link);
        }}
      />
      {pending?.action === 'role' ? (
        <RoleDialog key={pending.user.id} user={pending.user} onClose={() => setPending(null)} />
      ) : null}
      {pending && pending.action !== 'role' ? (
        <ConfirmUserAction
          key={`${pending.action}-${pending.user.id}`}
          action={pending.action satisfies ConfirmedAction}
          user={pending.user}
          onClose={() => setPending(null)}
          onLinkIssued={setIssued}
        />
      ) : null}
      <SetupLinkDialog link={issued} onClose={() => setIssued(null)} />
    </>
  );
}
