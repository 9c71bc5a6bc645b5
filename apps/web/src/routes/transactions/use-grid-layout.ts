import type { GridColumnVisibilityModel, GridDensity } from '@mui/x-data-grid';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { queryClient, trpc } from '../../lib/trpc.ts';
import { defaultColumnVisibility } from './columns.tsx';

export interface GridLayout {
  columns: GridColumnVisibilityModel;
  density: GridDensity;
}

const grid = 'transactions';
const input = { grid } as const;
const saveDelayMs = 800;

/**
 * The columns and density the agent chose, remembered per user on the server: read once, saved a
 * moment after the last change (a burst of toggles in the columns panel is one save), and saved at
 * once if the agent leaves the screen before that.
 */
export function useGridLayout(): {
  layout: GridLayout;
  ready: boolean;
  setLayout: (change: Partial<GridLayout>) => void;
} {
  const stored = useQuery(
    trpc.view.layout.queryOptions(input, {
      staleTime: Infinity,
      // Without a remembered layout the grid still works: the defaults apply, and no toast.
      meta: { inlineErrors: true },
      retry: false,
    }),
  );
  const save = useMutation(trpc.view.saveLayout.mutationOptions());
  const [changed, setChanged] = useState<GridLayout | null>(null);
  const layout: GridLayout = changed ??
    stored.data ?? { columns: defaultColumnVisibility, density: 'standard' };

  const pending = useRef<GridLayout | null>(null);
  const { mutate } = save;
  const flush = useCallback(() => {
    const next = pending.current;
    if (!next) return;
    pending.current = null;
    mutate({ grid, layout: next });
  }, [mutate]);

  useEffect(() => {
    if (!changed) return;
    pending.current = changed;
    queryClient.setQueryData(trpc.view.layout.queryKey(input), changed);
    const timer = setTimeout(flush, saveDelayMs);
    return () => clearTimeout(timer);
  }, [changed, flush]);
  useEffect(() => flush, [flush]);

  const setLayout = useCallback(
    (change: Partial<GridLayout>) =>
      setChanged((current) => ({
        ...(current ?? stored.data ?? { columns: defaultColumnVisibility, density: 'standard' }),
        ...change,
      })),
    [stored.data],
  );

  return { layout, ready: !stored.isPending, setLayout };
}
