import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import {
  DataGrid,
  type GridEventListener,
  type GridLocaleText,
  type GridPaginationModel,
  type GridSortModel,
} from '@mui/x-data-grid';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { useCan } from '../../app/session.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { withParams } from '../../lib/grid-url.ts';
import { trpc } from '../../lib/trpc.ts';
import { transactionColumns } from './columns.tsx';
import { EmptyPageOverlay, NoMatches, NoTransactionsYet } from './empty-states.tsx';
import { FiltersToolbar, type FilterChanges } from './filters-toolbar.tsx';
import { PaymentLinkButton } from './payment-link-dialog.tsx';
import { refundPath } from '../transaction/links.ts';
import { TransactionsGridToolbar } from './grid-toolbar.tsx';
import type { TransactionRow } from './labels.ts';
import { ResultSummary } from './result-summary.tsx';
import { SavedViews } from './saved-views.tsx';
import { SearchBox, searchHint } from './search-box.tsx';
import { browserZone } from './time-zone.ts';
import { useGridLayout } from './use-grid-layout.ts';
import { useUrlParams, type UrlChange } from './use-url-params.ts';
import {
  activeFilterCount,
  canonicalSearch,
  defaultSort,
  filterProblems,
  formatSortParam,
  keys,
  listInput,
  maxRows,
  pageSizes,
  readTransactionsView,
  sortFields,
  withToggled,
  withoutFilters,
  type SortField,
} from './url-state.ts';
import type { ViewState } from './view-state.ts';

const isSortField = (field: string): field is SortField => (sortFields as readonly string[]).includes(field);
const counted = new Intl.NumberFormat();

/** The zone the grid's days and times are in: the one in the URL, else the browser's. */
function useZone(chosen: string | null): string {
  const [browser] = useState(browserZone);
  return chosen ?? browser;
}

export function Component() {
  const [params, setParams] = useUrlParams();
  const navigate = useNavigate();
  const view = readTransactionsView(params);
  const zone = useZone(view.zone);
  const problems = filterProblems(view);
  const invalid = Object.keys(problems).length > 0;
  const filterCount = activeFilterCount(view);
  const input = listInput(view, zone);
  const hasDates = Boolean(view.from || view.to);
  const canConnect = useCan('connection.manage');
  const canCreateLinks = useCan('paymentLink.create');

  const list = useQuery(
    trpc.transaction.list.queryOptions(input, {
      // The page on screen stays while the next loads: no flash of an empty grid.
      placeholderData: keepPreviousData,
      enabled: !invalid,
      meta: { inlineErrors: true },
    }),
  );
  const facets = useQuery(
    trpc.transaction.facets.queryOptions(undefined, { staleTime: 60_000, meta: { inlineErrors: true } }),
  );
  const { layout, ready, setLayout } = useGridLayout();

  // A new search or filter starts again from the first page: the old page number means nothing there.
  const update = useCallback(
    (change: UrlChange) =>
      setParams(
        (current) => {
          const next = change(current);
          next.delete(keys.page);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const changes: FilterChanges = useMemo(
    () => ({
      onToggle: (key, value) => update((current) => withToggled(current, keys[key], value)),
      onDays: (days) =>
        update((current) => {
          const next = withParams(current, days);
          // Days mean days of a zone: the link keeps it, so a colleague elsewhere sees the same range.
          if ((next.has(keys.from) || next.has(keys.to)) && !next.has(keys.zone)) next.set(keys.zone, zone);
          return next;
        }),
      onZone: (next) => update((current) => withParams(current, { [keys.zone]: next })),
      onAmount: (key, value) => update((current) => withParams(current, { [keys[key]]: value })),
      onClear: () => update(withoutFilters),
    }),
    [update, zone],
  );
  const commitSearch = useCallback(
    (q: string) => update((current) => withParams(current, { [keys.q]: q })),
    [update],
  );
  const clearSearch = useCallback(() => commitSearch(''), [commitSearch]);

  const canRefund = useCan('refund.create');
  const columns = useMemo(
    () =>
      transactionColumns({
        zone,
        density: layout.density,
        onRefund: canRefund ? (row) => void navigate(refundPath(row.id)) : undefined,
      }),
    [zone, layout.density, canRefund, navigate],
  );
  const sort = view.sort ?? defaultSort;
  const sortModel: GridSortModel = [{ field: sort.field, sort: sort.direction }];
  const paginationModel: GridPaginationModel = { page: input.page, pageSize: view.pageSize };

  const result = list.data;
  const capped = result?.totalIsCapped ?? false;
  const localeText = useMemo<Partial<GridLocaleText>>(
    () => ({
      paginationDisplayedRows: ({ from, to, count }) =>
        `${counted.format(from)}–${counted.format(to)} of ${capped ? `${counted.format(maxRows)}+` : counted.format(count)}`,
    }),
    [capped],
  );
  const fresh = result && !list.isPlaceholderData ? result : undefined;
  const emptyLedger = fresh?.total === 0 && !view.q && filterCount === 0;
  const noMatches = invalid || (fresh?.total === 0 && !emptyLedger);

  const openRow: GridEventListener<'rowClick'> = (params_, event) => {
    // A row action (refund) does its own thing.
    if (event.target instanceof Element && event.target.closest('[data-field="actions"]')) return;
    const path = `/transactions/${String(params_.id)}`;
    if (event.metaKey || event.ctrlKey) window.open(path, '_blank', 'noopener');
    else void navigate(path);
  };

  const current: ViewState = {
    search: canonicalSearch(params),
    columns: layout.columns,
    density: layout.density,
  };
  const applyView = (state: ViewState) => {
    setParams(() => new URLSearchParams(state.search));
    if (state.columns || state.density) {
      setLayout({
        ...(state.columns ? { columns: state.columns } : {}),
        ...(state.density ? { density: state.density } : {}),
      });
    }
  };

  return (
    <>
      <PageHeader
        title="Transactions"
        description="Every payment, payout and subscription from every connected provider account, in one list. Open one for its operations, timeline and actions."
        actions={
          <>
            {canCreateLinks ? <PaymentLinkButton /> : null}
            <SavedViews current={current} onApply={applyView} />
          </>
        }
      />
      <Paper
        component="form"
        role="search"
        aria-label="Search and filter transactions"
        onSubmit={(event) => event.preventDefault()}
        sx={{ p: 2, mb: 2, display: 'flex', flexDirection: 'column', gap: 2 }}
      >
        <SearchBox
          value={view.q}
          onCommit={commitSearch}
          hint={searchHint(view.q, fresh?.searchKind, hasDates)}
        />
        <Box>
          <FiltersToolbar
            view={view}
            zone={zone}
            problems={problems}
            facets={facets.data}
            facetsFailed={facets.isError}
            changes={changes}
            filterCount={filterCount}
          />
        </Box>
      </Paper>
      {list.isError ? (
        <ErrorState
          error={list.error}
          title="The transactions could not be loaded"
          onRetry={() => void list.refetch()}
        />
      ) : emptyLedger ? (
        <NoTransactionsYet canConnect={canConnect} />
      ) : noMatches ? (
        <NoMatches
          invalidFilters={invalid}
          filtered={filterCount > 0}
          searched={Boolean(view.q)}
          onClearFilters={changes.onClear}
          onClearSearch={clearSearch}
        />
      ) : (
        <Paper sx={{ width: '100%', overflow: 'hidden' }}>
          <DataGrid<TransactionRow>
            aria-label="Transactions"
            autoHeight
            rows={result?.rows ?? []}
            // Until the first answer, a count that keeps a deep link's page valid.
            rowCount={result?.total ?? (view.page + 1) * view.pageSize}
            columns={columns}
            loading={list.isFetching || !ready}
            paginationMode="server"
            sortingMode="server"
            paginationModel={paginationModel}
            onPaginationModelChange={(model) =>
              setParams((currentParams) =>
                withParams(currentParams, {
                  [keys.page]: model.pageSize === view.pageSize && model.page > 0 ? model.page + 1 : null,
                  [keys.pageSize]: model.pageSize === 25 ? null : model.pageSize,
                }),
              )
            }
            pageSizeOptions={[...pageSizes]}
            sortModel={sortModel}
            sortingOrder={['desc', 'asc']}
            onSortModelChange={(model) => {
              const first = model[0];
              if (!first?.sort || !isSortField(first.field)) return;
              update((currentParams) =>
                withParams(currentParams, {
                  [keys.sort]: formatSortParam({
                    field: first.field as SortField,
                    direction: first.sort ?? 'desc',
                  }),
                }),
              );
            }}
            columnVisibilityModel={layout.columns}
            onColumnVisibilityModelChange={(model) => setLayout({ columns: model })}
            density={layout.density}
            onDensityChange={(density) => setLayout({ density })}
            disableColumnFilter
            disableRowSelectionOnClick
            onRowClick={openRow}
            onCellKeyDown={(cell, event) => {
              // The actions cell's own buttons answer Enter there.
              if (event.key !== 'Enter' || cell.field === 'actions') return;
              event.defaultMuiPrevented = true;
              void navigate(`/transactions/${String(cell.id)}`);
            }}
            localeText={localeText}
            showToolbar
            slots={{ toolbar: TransactionsGridToolbar, noRowsOverlay: EmptyPageOverlay }}
            slotProps={{
              toolbar: {
                summary: <ResultSummary result={result} />,
                density: layout.density,
                onDensity: (density) => setLayout({ density }),
              },
              loadingOverlay: { variant: 'linear-progress', noRowsVariant: 'skeleton' },
            }}
            sx={{
              border: 0,
              '--DataGrid-overlayHeight': '240px',
              '& .MuiDataGrid-row': { cursor: 'pointer' },
              '& .numeric': { fontVariantNumeric: 'tabular-nums' },
              '& .MuiDataGrid-columnHeaderTitle': { fontWeight: 600 },
            }}
          />
        </Paper>
      )}
    </>
  );
}
