import Button from '@mui/material/Button';
import { useMutation } from '@tanstack/react-query';
import { setMe, trpc } from '../../lib/trpc.ts';

/** Abandons a half-finished sign-in (wrong account, no phone at hand) and returns to the first step. */
export function StartOver({ email }: { email: string }) {
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      meta: { authFlow: true },
      onSettled: () => setMe({ state: 'signed_out' }),
    }),
  );
  return (
    <Button
      variant="text"
      size="small"
      onClick={() => signOut.mutate()}
      disabled={signOut.isPending}
      sx={{ mt: 2 }}
    >
      Not {email}? Sign in as someone else
    </Button>
  );
}
