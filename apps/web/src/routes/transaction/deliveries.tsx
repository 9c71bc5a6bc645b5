import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { DeliveryStateChip, VerificationChip } from './delivery-chips.tsx';
import { Instant, Section } from './parts.tsx';
import { formatInstant } from './time.ts';
import { rejectReasonLabel } from './timeline-model.ts';
import type { Delivery } from './types.ts';

export function Deliveries({
  deliveries,
  provider,
  onOpen,
}: {
  deliveries: readonly Delivery[];
  provider: string;
  onOpen: (delivery: Delivery) => void;
}) {
  return (
    <Section
      title="Webhook deliveries"
      description="Every webhook received about this transaction, accepted or not. Secrets and card numbers are redacted."
      padded={false}
    >
      {deliveries.length === 0 ? (
        <Typography color="text.secondary" sx={{ px: { xs: 2, sm: 3 }, pb: 2.5 }}>
          No webhook about this transaction has been received. Paydesk learned of it by looking it up.
        </Typography>
      ) : (
        <TableContainer tabIndex={0} aria-label="Table of webhook deliveries" role="region">
          <Table size="small" sx={{ minWidth: 760 }}>
            <TableHead>
              <TableRow>
                <TableCell sx={{ pl: { xs: 2, sm: 3 } }}>Received</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Signature</TableCell>
                <TableCell align="right">Duplicates</TableCell>
                <TableCell>Reason</TableCell>
                <TableCell sx={{ pr: { xs: 2, sm: 3 } }} align="right">
                  Payload
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {deliveries.map((delivery) => (
                <TableRow key={delivery.id}>
                  <TableCell component="th" scope="row" sx={{ pl: { xs: 2, sm: 3 }, whiteSpace: 'nowrap' }}>
                    <Instant iso={delivery.receivedAt} />
                    <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                      Webhook #{delivery.id}
                    </Typography>
                  </TableCell>
                  <TableCell>
                    <DeliveryStateChip state={delivery.state} />
                  </TableCell>
                  <TableCell>
                    <VerificationChip delivery={delivery} provider={provider} />
                  </TableCell>
                  <TableCell align="right">{delivery.duplicates}</TableCell>
                  <TableCell sx={{ maxWidth: 280 }}>
                    {delivery.state === 'rejected' ? (
                      <>
                        <Typography variant="body2" component="span" sx={{ fontWeight: 500 }}>
                          {rejectReasonLabel(delivery.rejectReason)}
                        </Typography>
                        {delivery.rejectDetail ? (
                          <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                            {delivery.rejectDetail}
                          </Typography>
                        ) : null}
                      </>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                  <TableCell align="right" sx={{ pr: { xs: 2, sm: 3 } }}>
                    <Button
                      size="small"
                      aria-haspopup="dialog"
                      aria-label={`View webhook #${delivery.id} received ${formatInstant(delivery.receivedAt)}`}
                      onClick={() => onOpen(delivery)}
                    >
                      View
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </Section>
  );
}
