import FilterAltOffIcon from '@mui/icons-material/FilterAltOff';
import TuneIcon from '@mui/icons-material/Tune';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { useCallback, useId, useMemo, useState } from 'react';
import {
  providerLabels,
  providerNames,
  transactionKinds,
  transactionStatuses,
  type ProviderName,
} from '@paydesk/domain';
import { DebouncedTextField } from '../../components/debounced-text-field.tsx';
import type { RouterOutputs } from '../../lib/trpc.ts';
import { transactionKindLabels, transactionStatusLabels } from './labels.ts';
import { MultiSelectFilter, type FilterOption } from './multi-select-filter.tsx';
import { browserZone, zoneOptions } from './time-zone.ts';
import type { FilterProblems, ListFilter, TransactionsView } from './url-state.ts';

type Facets = RouterOutputs['transaction']['facets'];

export interface FilterChanges {
  onToggle: (key: ListFilter, value: string) => void;
  onDays: (changes: { from?: string; to?: string }) => void;
  onZone: (zone: string) => void;
  onAmount: (key: 'amountMin' | 'amountMax', value: string) => void;
  onClear: () => void;
}

const providerOptions: FilterOption<ProviderName>[] = providerNames.map((p) => ({
  value: p,
  label: providerLabels[p],
}));
const statusOptions = transactionStatuses.map((s) => ({ value: s, label: transactionStatusLabels[s].label }));
const kindOptions = transactionKinds.map((k) => ({ value: k, label: transactionKindLabels[k] }));

/** The filters that live behind "More filters"; it opens by itself when one of them is set. */
function moreCount(view: TransactionsView): number {
  return [
    view.connectionIds.length,
    view.kinds.length,
    view.currencies.length,
    view.methods.length,
    view.amountMin || view.amountMax,
  ].filter(Boolean).length;
}

function ZonePicker({ zone, onZone }: { zone: string; onZone: (zone: string) => void }) {
  const browser = useMemo(() => browserZone(), []);
  const options = useMemo(() => zoneOptions(browser, zone), [browser, zone]);
  // Switching UTC off goes back to the zone the agent had before, or the browser's.
  const [previous, setPrevious] = useState(zone === 'UTC' ? browser : zone);
  if (zone !== 'UTC' && zone !== previous) setPrevious(zone);
  return (
    <>
      <Autocomplete
        size="small"
        options={options}
        value={zone}
        disableClearable
        autoHighlight
        onChange={(_event, next) => onZone(next)}
        sx={{ width: 230 }}
        renderOption={({ key, ...props }, option) => (
          <li key={key} {...props}>
            {option === browser ? `${option} (this browser)` : option}
          </li>
        )}
        renderInput={(params) => (
          <TextField
            {...params}
            label="Time zone"
            slotProps={{ ...params.slotProps, inputLabel: { shrink: true } }}
          />
        )}
      />
      <FormControlLabel
        control={
          <Switch
            checked={zone === 'UTC'}
            onChange={(event) =>
              onZone(event.target.checked ? 'UTC' : previous === 'UTC' ? browser : previous)
            }
          />
        }
        label="UTC"
        sx={{ mr: 0, height: 40 }}
      />
    </>
  );
}

export function FiltersToolbar({
  view,
  zone,
  problems,
  facets,
  facetsFailed,
  changes,
  filterCount,
}: {
  view: TransactionsView;
  zone: string;
  problems: FilterProblems;
  facets: Facets | undefined;
  facetsFailed: boolean;
  changes: FilterChanges;
  filterCount: number;
}) {
  const moreId = useId();
  const hidden = moreCount(view);
  const [expanded, setExpanded] = useState(hidden > 0);
  // A view applied or a link opened with more of these set opens the section, so nothing set is hidden.
  const [seen, setSeen] = useState(hidden);
  if (hidden !== seen) {
    setSeen(hidden);
    if (hidden > seen) setExpanded(true);
  }
  const { onToggle, onDays, onAmount } = changes;
  const commitMin = useCallback((value: string) => onAmount('amountMin', value), [onAmount]);
  const commitMax = useCallback((value: string) => onAmount('amountMax', value), [onAmount]);
  const facetsNote = facetsFailed ? 'Could not be loaded.' : undefined;

  const connectionOptions = (facets?.connections ?? []).map((c) => ({
    value: c.id,
    label: c.name,
    detail: `${providerLabels[c.provider]}${c.enabled ? '' : ' · disabled'}`,
  }));
  const currencyOptions = (facets?.currencies ?? []).map((c) => ({ value: c, label: c }));
  const methodOptions = (facets?.methods ?? []).map((m) => ({ value: m, label: m }));

  return (
    <>
      <Box
        role="group"
        aria-label="Filters"
        sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5, alignItems: 'flex-start' }}
      >
        <TextField
          type="date"
          size="small"
          label="From"
          value={view.from}
          onChange={(e) => onDays({ from: e.target.value })}
          sx={{ width: 160 }}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { max: view.to || undefined } }}
        />
        <TextField
          type="date"
          size="small"
          label="To"
          value={view.to}
          onChange={(e) => onDays({ to: e.target.value })}
          error={Boolean(problems.to)}
          helperText={problems.to}
          sx={{ width: 160 }}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: view.from || undefined } }}
        />
        <ZonePicker zone={zone} onZone={changes.onZone} />
        <MultiSelectFilter
          label="Provider"
          value={view.providers}
          options={providerOptions}
          onToggle={(value) => onToggle('providers', value)}
        />
        <MultiSelectFilter
          label="Status"
          value={view.statuses}
          options={statusOptions}
          onToggle={(value) => onToggle('statuses', value)}
          width={190}
        />
        <Button
          variant={expanded ? 'outlined' : 'text'}
          startIcon={<TuneIcon />}
          aria-expanded={expanded}
          aria-controls={moreId}
          onClick={() => setExpanded((open) => !open)}
          sx={{ height: 40 }}
        >
          {hidden > 0 ? `More filters (${hidden})` : 'More filters'}
        </Button>
        {filterCount > 0 ? (
          <Button startIcon={<FilterAltOffIcon />} onClick={changes.onClear} sx={{ height: 40 }}>
            Clear filters
          </Button>
        ) : null}
      </Box>
      <Box
        id={moreId}
        role="group"
        aria-label="More filters"
        hidden={!expanded}
        sx={{
          display: expanded ? 'flex' : 'none',
          flexWrap: 'wrap',
          gap: 1.5,
          mt: 1.5,
          alignItems: 'flex-start',
        }}
      >
        <MultiSelectFilter
          label="Connection"
          value={view.connectionIds}
          options={connectionOptions}
          onToggle={(value) => onToggle('connectionIds', value)}
          width={210}
          helperText={facetsNote}
        />
        <MultiSelectFilter
          label="Kind"
          value={view.kinds}
          options={kindOptions}
          onToggle={(value) => onToggle('kinds', value)}
          width={150}
        />
        <MultiSelectFilter
          label="Currency"
          value={view.currencies}
          options={currencyOptions}
          onToggle={(value) => onToggle('currencies', value)}
          width={140}
          helperText={facetsNote}
        />
        <MultiSelectFilter
          label="Method"
          value={view.methods}
          options={methodOptions}
          onToggle={(value) => onToggle('methods', value)}
          width={150}
          helperText={facetsNote}
        />
        <DebouncedTextField
          size="small"
          label="Min amount"
          placeholder="0.00"
          value={view.amountMin}
          onCommit={commitMin}
          error={Boolean(problems.amountMin)}
          helperText={problems.amountMin}
          sx={{ width: 170 }}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { inputMode: 'decimal' } }}
        />
        <DebouncedTextField
          size="small"
          label="Max amount"
          placeholder="Any"
          value={view.amountMax}
          onCommit={commitMax}
          error={Boolean(problems.amountMax)}
          helperText={
            problems.amountMax ?? (view.amountMin || view.amountMax ? 'In each currency’s units' : undefined)
          }
          sx={{ width: 170 }}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { inputMode: 'decimal' } }}
        />
      </Box>
    </>
  );
}
