import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { toast } from '../../lib/toasts.ts';
import { trpc } from '../../lib/trpc.ts';
import { useReplaceConnection } from './cache.ts';
import type { ConnectionRow } from './types.ts';

const maxReason = 500;

/** Disables or enables a connection, with a reason for the audit log. Refusals show in the dialog. */
export function SetEnabledDialog({
  connection,
  providerName,
  onClose,
}: {
  connection: ConnectionRow;
  providerName: string;
  onClose: () => void;
}) {
  const replace = useReplaceConnection();
  const enabling = !connection.enabled;
  const [reason, setReason] = useState('');
  const save = useMutation(trpc.connection.setEnabled.mutationOptions({ meta: { inlineErrors: true } }));

  const confirm = async () => {
    try {
      const updated = await save.mutateAsync({
        id: connection.id,
        enabled: enabling,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      toast('success', `${updated.name} was ${enabling ? 'enabled' : 'disabled'}.`);
      onClose();
      await replace(updated);
    } catch {
      // The mutation holds the error and the dialog shows it.
    }
  };

  return (
    <ConfirmDialog
      open
      title={enabling ? `Enable ${connection.name}?` : `Disable ${connection.name}?`}
      confirmLabel={enabling ? 'Enable' : 'Disable'}
      destructive={!enabling}
      pending={save.isPending}
      error={save.error}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <Typography variant="body2" sx={{ mb: 2 }}>
        {enabling
          ? `Paydesk accepts ${providerName}’s webhooks for this account again and resumes checking its transactions. Deliveries refused while it was disabled are caught up when ${providerName} retries them and by reconciliation.`
          : `Paydesk refuses ${providerName}’s webhooks for this account (${providerName} retries them later) and stops checking its transactions. What is already in the ledger stays visible.`}
      </Typography>
      <TextField
        label="Reason (optional)"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        helperText={`Kept in the audit log. ${reason.length}/${maxReason}`}
        multiline
        minRows={2}
        slotProps={{ htmlInput: { maxLength: maxReason } }}
      />
    </ConfirmDialog>
  );
}
