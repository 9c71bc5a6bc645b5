import SearchIcon from '@mui/icons-material/Search';
import InputAdornment from '@mui/material/InputAdornment';
import { DebouncedTextField } from '../../components/debounced-text-field.tsx';
import { searchKindLabels, type SearchKind } from './labels.ts';

/** What the search box says under itself: how the server read the text, and where it looked. */
export function searchHint(q: string, kind: SearchKind | null | undefined, hasDates: boolean): string {
  if (!q) return 'Searches every provider at once, across all dates.';
  if (!kind) return 'Searching…';
  return `Searched as ${searchKindLabels[kind]}, ${hasDates ? 'between the dates chosen' : 'across all dates'}.`;
}

/** The one search box: any id, an e-mail or a card's last four, across every provider. */
export function SearchBox({
  value,
  onCommit,
  hint,
}: {
  value: string;
  onCommit: (value: string) => void;
  hint: string;
}) {
  return (
    <DebouncedTextField
      type="search"
      label="Search transactions"
      placeholder="Paydesk id, provider id, merchant reference, customer e-mail or card last four"
      value={value}
      onCommit={onCommit}
      helperText={hint}
      autoComplete="off"
      slotProps={{
        input: {
          startAdornment: (
            <InputAdornment position="start">
              <SearchIcon />
            </InputAdornment>
          ),
          sx: { fontSize: '1.0625rem' },
        },
        inputLabel: { shrink: true },
        formHelperText: { 'aria-live': 'polite' },
      }}
    />
  );
}
