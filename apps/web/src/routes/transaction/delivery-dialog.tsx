import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import { useId } from 'react';
import { Detail, DetailList, Instant } from './parts.tsx';
import { PayloadViewer } from './payload-viewer.tsx';
import { DeliveryStateChip, VerificationChip } from './delivery-chips.tsx';
import { verificationLook } from './timeline-model.ts';
import type { Delivery } from './types.ts';

/** One webhook delivery as received: when, what became of it, its headers and (redacted) body. */
export function DeliveryDialog({
  delivery,
  provider,
  onClose,
}: {
  delivery: Delivery | null;
  provider: string;
  onClose: () => void;
}) {
  const titleId = useId();
  const verification = delivery ? verificationLook(delivery, provider) : null;
  return (
    <Dialog open={delivery !== null} onClose={onClose} aria-labelledby={titleId} maxWidth="md" fullWidth>
      {delivery && verification ? (
        <>
          <DialogTitle id={titleId}>Webhook #{delivery.id}</DialogTitle>
          <DialogContent>
            {verification.detail ? (
              <Alert severity={verification.tone === 'error' ? 'error' : 'info'} sx={{ mb: 2 }}>
                {verification.detail}
              </Alert>
            ) : null}
            <Box sx={{ mb: 3 }}>
              <DetailList termWidth={130}>
                <Detail term="Received">
                  <Instant iso={delivery.receivedAt} />
                </Detail>
                <Detail term="State">
                  <DeliveryStateChip state={delivery.state} />
                </Detail>
                <Detail term="Signature">
                  <VerificationChip delivery={delivery} provider={provider} />
                </Detail>
                <Detail term="Duplicates">
                  {delivery.duplicates === 0
                    ? 'None'
                    : `Received ${delivery.duplicates} more ${delivery.duplicates === 1 ? 'time' : 'times'}; the copies were ignored`}
                </Detail>
              </DetailList>
            </Box>
            <Box sx={{ display: 'grid', gap: 3 }}>
              <PayloadViewer
                title="Headers"
                value={delivery.headers}
                emptyText="No headers were kept."
                maxHeight={200}
              />
              <PayloadViewer title="Body" value={delivery.body} emptyText="The body was empty." />
            </Box>
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose} variant="contained">
              Close
            </Button>
          </DialogActions>
        </>
      ) : null}
    </Dialog>
  );
}
