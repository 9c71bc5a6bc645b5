import DownloadIcon from '@mui/icons-material/Download';
import FilterAltOffIcon from '@mui/icons-material/FilterAltOff';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import { DataGrid, type GridRowParams } from '@mui/x-data-grid';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useCan } from '../../app/session.tsx';
import { DebouncedTextField } from '../../components/debounced-text-field.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { withParams } from '../../lib/grid-url.ts';
import { trpc } from '../../lib/trpc.ts';
import { auditColumns } from './columns.tsx';
import { AuditDetailDialog } from './detail-dialog.tsx';
import {
  auditPageSizes,
  auditQueryInput,
  csvExportHref,
  hasFilters,
  rangeProblem,
  readAuditView,
} from './filters.ts';
import { NoEntriesOverlay } from './no-entries-overlay.tsx';
import type { AuditRow } from './results.ts';

export function Component() {
  const [params, setParams] = useSearchParams();
  const view = readAuditView(params);
  const canExport = useCan('audit.export');
  const [open, setOpen] = useState<AuditRow | null>(null);
  const problem = rangeProblem(view);

  const list = useQuery(
    trpc.audit.list.queryOptions(auditQueryInput(view), {
      // The grid keeps the current page on screen while the next one loads.
      placeholderData: keepPreviousData,
      enabled: !problem,
    }),
  );
  const actions = useQuery(trpc.audit.actions.queryOptions(undefined, { staleTime: 60_000 }));

  // Any filter change goes back to the first page: the old page number means nothing in a new result.
  const setFilter = useCallback(
    (changes: Record<string, string | null>) =>
      setParams((current) => withParams(current, { ...changes, page: null }), { replace: true }),
    [setParams],
  );
  const commitActor = useCallback((actor: string) => setFilter({ actor }), [setFilter]);
  const columns = useMemo(() => auditColumns(setOpen), [setOpen]);

  const actionOptions = useMemo(() => {
    const known = actions.data ?? [];
    return view.action && !known.includes(view.action) ? [view.action, ...known] : known;
  }, [actions.data, view.action]);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made in Paydesk, and every refused attempt: who, what, when, from where, and the values before and after."
        actions={
          canExport ? (
            <Button
              component="a"
              href={csvExportHref(view)}
              download
              variant="outlined"
              startIcon={<DownloadIcon />}
            >
              Export CSV
            </Button>
          ) : null
        }
      />
      <Box
        component="form"
        role="search"
        aria-label="Filter the audit log"
        onSubmit={(e) => e.preventDefault()}
        sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, mb: 2, alignItems: 'flex-start' }}
      >
        <DebouncedTextField
          label="Actor"
          placeholder="All or part of an e-mail address"
          value={view.actor}
          onCommit={commitActor}
          sx={{ flex: '1 1 220px', maxWidth: 320 }}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          select
          label="Action"
          value={view.action}
          onChange={(e) => setFilter({ action: e.target.value })}
          sx={{ flex: '1 1 200px', maxWidth: 280 }}
          helperText={actions.isError ? 'The list of actions could not be loaded.' : undefined}
          // "All actions" is a real choice, shown rather than an empty box.
          slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
        >
          <MenuItem value="">All actions</MenuItem>
          {actionOptions.map((action) => (
            <MenuItem key={action} value={action}>
              {action}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          type="date"
          label="From"
          value={view.from}
          onChange={(e) => setFilter({ from: e.target.value })}
          sx={{ flex: '0 1 180px' }}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { max: view.to || undefined } }}
        />
        <TextField
          type="date"
          label="To"
          value={view.to}
          onChange={(e) => setFilter({ to: e.target.value })}
          error={Boolean(problem)}
          helperText={problem ?? undefined}
          sx={{ flex: '0 1 180px' }}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: view.from || undefined } }}
        />
        {hasFilters(view) ? (
          <Button
            startIcon={<FilterAltOffIcon />}
            onClick={() => setFilter({ actor: null, action: null, from: null, to: null })}
            sx={{ mt: 1 }}
          >
            Clear filters
          </Button>
        ) : null}
      </Box>
      {list.isError ? (
        <ErrorState
          error={list.error}
          title="The audit log could not be loaded"
          onRetry={() => void list.refetch()}
        />
      ) : (
        <Paper sx={{ width: '100%' }}>
          <DataGrid
            aria-label="Audit log entries"
            autoHeight
            rows={problem ? [] : (list.data?.rows ?? [])}
            rowCount={problem ? 0 : (list.data?.total ?? 0)}
            columns={columns}
            loading={list.isFetching}
            paginationMode="server"
            paginationModel={{ page: view.page, pageSize: view.pageSize }}
            onPaginationModelChange={(model) =>
              setParams(
                (current) =>
                  withParams(current, {
                    page: model.page > 0 ? model.page + 1 : null,
                    size: model.pageSize === 25 ? null : model.pageSize,
                  }),
                { replace: false },
              )
            }
            pageSizeOptions={[...auditPageSizes]}
            // The server orders by time, newest first; sorting one page in the browser would mislead.
            disableColumnSorting
            disableColumnFilter
            disableRowSelectionOnClick
            onRowClick={(params: GridRowParams<AuditRow>) => setOpen(params.row)}
            slots={{ noRowsOverlay: NoEntriesOverlay }}
            slotProps={{ noRowsOverlay: { filtered: hasFilters(view) } }}
            sx={{ border: 0, '& .MuiDataGrid-row': { cursor: 'pointer' } }}
          />
        </Paper>
      )}
      <AuditDetailDialog row={open} onClose={() => setOpen(null)} />
    </>
  );
}
