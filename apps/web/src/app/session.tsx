import { useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import type { Permission } from '@paydesk/domain';
import { trpc, type SignedInUser } from '../lib/trpc.ts';

export function useMe() {
  // Kept fresh by the sign-in mutations, which write it directly, and by the global 401 handler. A
  // background refetch picks up a role changed by an administrator.
  return useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000, meta: { inlineErrors: true } }));
}

export const SignedInUserContext = createContext<SignedInUser | null>(null);

/** The signed-in user, inside the guarded layout. */
export function useSignedInUser(): SignedInUser {
  const user = useContext(SignedInUserContext);
  if (!user) throw new Error('useSignedInUser is used outside the signed-in layout');
  return user;
}

export function useCan(permission: Permission): boolean {
  return useSignedInUser().permissions.includes(permission);
}
