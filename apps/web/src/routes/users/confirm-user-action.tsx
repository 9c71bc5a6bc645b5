import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { toast } from '../../lib/toasts.ts';
import { trpc } from '../../lib/trpc.ts';
import type { IssuedLink } from './setup-link-dialog.tsx';
import type { UserRow } from './types.ts';

export type ConfirmedAction = 'setupLink' | 'resetMfa' | 'deactivate' | 'reactivate';

interface Copy {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  destructive: boolean;
  done: string;
}

function copyFor(action: ConfirmedAction, user: UserRow): Copy {
  switch (action) {
    case 'setupLink':
      return {
        title: `Issue a new setup link for ${user.name}?`,
        body: 'They can use it once, within 24 hours, to choose a new password. You will see the link once, to send it to them.',
        confirmLabel: 'Issue link',
        destructive: false,
        done: '',
      };
    case 'resetMfa':
      return {
        title: `Reset two-factor authentication for ${user.name}?`,
        body: 'Their authenticator app and recovery codes stop working. If their role requires two-factor authentication, they set it up again at their next sign-in.',
        confirmLabel: 'Reset two-factor',
        destructive: true,
        done: `Two-factor authentication was reset for ${user.name}.`,
      };
    case 'deactivate':
      return {
        title: `Deactivate ${user.name}?`,
        body: 'They are signed out everywhere at once and can no longer sign in. Their history in the audit log is kept, and you can reactivate them later.',
        confirmLabel: 'Deactivate',
        destructive: true,
        done: `${user.name} was deactivated and signed out everywhere.`,
      };
    case 'reactivate':
      return {
        title: `Reactivate ${user.name}?`,
        body: 'They will be able to sign in again with the role they had.',
        confirmLabel: 'Reactivate',
        destructive: false,
        done: `${user.name} was reactivated.`,
      };
  }
}

/** One confirmation for the actions that change someone's access. Refusals show inside the dialog. */
export function ConfirmUserAction({
  action,
  user,
  onClose,
  onLinkIssued,
}: {
  action: ConfirmedAction;
  user: UserRow;
  onClose: () => void;
  onLinkIssued: (link: IssuedLink) => void;
}) {
  const queryClient = useQueryClient();
  const copy = copyFor(action, user);
  const options = { meta: { inlineErrors: true } };
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.user.list.queryKey() });
  const deactivate = useMutation(trpc.user.deactivate.mutationOptions(options));
  const reactivate = useMutation(trpc.user.reactivate.mutationOptions(options));
  const resetMfa = useMutation(trpc.user.resetMfa.mutationOptions(options));
  const issueLink = useMutation(trpc.user.issueSetupLink.mutationOptions(options));
  const current = { deactivate, reactivate, resetMfa, setupLink: issueLink }[action];

  const confirm = async () => {
    try {
      if (action === 'setupLink') {
        const { setupUrl } = await issueLink.mutateAsync({ id: user.id });
        onLinkIssued({ name: user.name, email: user.email, setupUrl, created: false });
      } else {
        await current.mutateAsync({ id: user.id });
        toast('success', copy.done);
      }
      await refresh();
      onClose();
    } catch {
      // The mutation holds the error and the dialog shows it.
    }
  };

  return (
    <ConfirmDialog
      open
      title={copy.title}
      confirmLabel={copy.confirmLabel}
      destructive={copy.destructive}
      pending={current.isPending}
      error={current.error}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      {copy.body}
    </ConfirmDialog>
  );
}
