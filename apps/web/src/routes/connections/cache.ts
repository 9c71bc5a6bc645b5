import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { trpc } from '../../lib/trpc.ts';
import type { ConnectionRow } from './types.ts';

/**
 * Puts a connection a mutation returned into the list at once, then refetches the list. Mutations
 * answer without the health counters, so the ones already shown are kept until the refetch.
 */
export function useReplaceConnection(): (updated: ConnectionRow) => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(
    async (updated: ConnectionRow) => {
      const queryKey = trpc.connection.list.queryKey();
      queryClient.setQueryData(queryKey, (list) =>
        list?.map((c) =>
          c.id === updated.id
            ? {
                ...updated,
                counters: Object.keys(updated.counters).length > 0 ? updated.counters : c.counters,
              }
            : c,
        ),
      );
      await queryClient.invalidateQueries({ queryKey });
    },
    [queryClient],
  );
}
