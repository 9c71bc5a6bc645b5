import { hashKey, MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@paydesk/api';
import { accessDeniedStore, denyAccess } from './access-denied.ts';
import { isRetryable, readAppError } from './app-error.ts';
import { toast } from './toasts.ts';

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type Me = RouterOutputs['auth']['me'];
export type SignedInUser = Extract<Me, { user: unknown }>['user'];

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: {
      /** The screen shows this query's failure itself; the global handler only sends 401 to sign-in. */
      inlineErrors?: boolean;
    };
    mutationMeta: {
      /** The form shows the failure beside its fields; the global handler only sends 401 to sign-in. */
      inlineErrors?: boolean;
      /** A sign-in step: its 401 means "wrong password", not "your session ended". */
      authFlow?: boolean;
    };
  }
}

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: '/trpc',
      // The BFF refuses mutations without this header: a cross-site form cannot set it (CSRF).
      headers: { 'x-paydesk-csrf': '1' },
    }),
  ],
});

/** The session ended (idle or absolute timeout, revoked, user deactivated): back to sign-in. */
function sessionEnded(error: unknown): void {
  const info = readAppError(error);
  if (queryClient.getQueryData<Me>(meKey())?.state !== 'signed_out') {
    toast('info', info.userMessage);
  }
  // The route guard sees this and redirects to /sign-in?next=<where the user was>.
  queryClient.setQueryData<Me>(meKey(), { state: 'signed_out' });
}

function report(error: unknown): void {
  const info = readAppError(error);
  toast('error', info.userMessage, info.requestId);
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError(error, query) {
      const info = readAppError(error);
      if (info.trpcCode === 'UNAUTHORIZED') return sessionEnded(error);
      if (query.meta?.inlineErrors) return;
      if (info.trpcCode === 'FORBIDDEN') return denyAccess(info.userMessage);
      report(error);
    },
  }),
  mutationCache: new MutationCache({
    onError(error, _variables, _result, mutation) {
      const meta = mutation.meta;
      if (meta?.authFlow) return;
      if (readAppError(error).trpcCode === 'UNAUTHORIZED') return sessionEnded(error);
      if (meta?.inlineErrors) return;
      // A refused action (including "you cannot deactivate yourself") is a message, not a page.
      report(error);
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (failures, error) => failures < 2 && isRetryable(error),
    },
    mutations: { retry: false },
  },
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });

export function meKey() {
  return trpc.auth.me.queryKey();
}

/**
 * Records the new sign-in state. Whenever the person behind the session may have changed, nothing
 * cached for the previous one is kept.
 */
export function setMe(me: Me): void {
  const previous = queryClient.getQueryData<Me>(meKey());
  const previousUser = previous && 'user' in previous ? previous.user.id : null;
  const nextUser = 'user' in me ? me.user.id : null;
  if (previousUser !== nextUser || me.state !== 'signed_in') {
    queryClient.removeQueries({ predicate: (query) => query.queryHash !== hashKey(meKey()) });
  }
  accessDeniedStore.set(null);
  queryClient.setQueryData<Me>(meKey(), me);
}
