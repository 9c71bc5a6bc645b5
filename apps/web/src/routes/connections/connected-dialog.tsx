import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useId } from 'react';
import { signingSummary } from './copy.ts';
import type { ConnectionRow, ProviderForm } from './types.ts';
import { WebhookUrlField } from './webhook-url-field.tsx';

/** After a connection is added: where the provider must send its webhooks, and what comes next. */
export function ConnectedDialog({
  connection,
  form,
  providerName,
  onClose,
}: {
  connection: ConnectionRow;
  form: ProviderForm | undefined;
  providerName: string;
  onClose: () => void;
}) {
  const titleId = useId();
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} maxWidth="sm" fullWidth>
      <DialogTitle id={titleId}>{connection.name} is connected</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          In {providerName}’s backoffice, set this as the webhook (notification) URL of the account, so{' '}
          {providerName} tells Paydesk about payments as they happen.
        </DialogContentText>
        <WebhookUrlField url={connection.webhookUrl} />
        <Alert severity={connection.webhookSigning === 'none' ? 'info' : 'success'} sx={{ mt: 2 }}>
          {signingSummary(connection, form)}
        </Alert>
        <DialogContentText sx={{ mt: 2 }}>
          The URL stays on the connection’s card. The credentials you entered are not shown again: use{' '}
          <strong>Test connection</strong> on the card to check that {providerName} accepts them.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={onClose}>
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
}
