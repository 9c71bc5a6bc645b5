import type { GridDensity } from '@mui/x-data-grid';
import type { RouterOutputs } from '../../lib/trpc.ts';

export type SavedView = RouterOutputs['view']['list'][number];

/** What a saved view restores: the URL's filters and sort, and the grid's columns and density. */
export interface ViewState {
  search: string;
  columns?: Record<string, boolean>;
  density?: GridDensity;
}

export function sharedLabel(view: Pick<SavedView, 'shared' | 'mine'>): string | null {
  if (!view.shared) return null;
  return view.mine ? 'Shared with everyone' : 'Shared by a colleague';
}
