import SyncIcon from '@mui/icons-material/Sync';
import Button from '@mui/material/Button';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { VisuallyHidden } from '../../components/visually-hidden.tsx';
import { readAppError, type AppErrorInfo } from '../../lib/app-error.ts';
import { toast } from '../../lib/toasts.ts';
import { trpc } from '../../lib/trpc.ts';

/**
 * "Refresh from provider": one look-up at the provider with the connection's credentials. The answer
 * is a toast; a failure is the provider's, not Paydesk's, so the page shows it in place (onFailure)
 * until the next attempt. Either way the page reloads: the call itself is now on the timeline.
 */
export function RefreshButton({
  id,
  providerName,
  onFailure,
}: {
  id: string;
  providerName: string;
  onFailure: (failure: AppErrorInfo | null) => void;
}) {
  const queryClient = useQueryClient();
  const refresh = useMutation(
    trpc.transaction.refresh.mutationOptions({
      meta: { inlineErrors: true },
      onMutate: () => onFailure(null),
      onSuccess: (result) => toast('success', result.message),
      onError: (error) => onFailure(readAppError(error)),
      // The grid and the customer view may show this transaction too.
      onSettled: () => queryClient.invalidateQueries(trpc.transaction.pathFilter()),
    }),
  );
  return (
    <>
      <Button
        variant="contained"
        startIcon={<SyncIcon />}
        loading={refresh.isPending}
        loadingPosition="start"
        onClick={() => refresh.mutate({ id })}
      >
        Refresh from provider
      </Button>
      <VisuallyHidden>
        <span role="status">{refresh.isPending ? `Asking ${providerName} for the current state…` : ''}</span>
      </VisuallyHidden>
    </>
  );
}
