import DownloadIcon from '@mui/icons-material/Download';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import { useState } from 'react';
import { DownloadError, downloadFile } from '../../lib/download-file.ts';
import { toast } from '../../lib/toasts.ts';

export function receiptUrl(transactionId: string, operationId?: string): string {
  const path = `/receipts/${encodeURIComponent(transactionId)}.pdf`;
  return operationId ? `${path}?operation=${encodeURIComponent(operationId)}` : path;
}

function useReceiptDownload(transactionId: string, operationId?: string) {
  const [pending, setPending] = useState(false);
  async function download() {
    setPending(true);
    try {
      const name = await downloadFile(receiptUrl(transactionId, operationId), 'receipt.pdf');
      toast('success', `Receipt saved as ${name}.`);
    } catch (error) {
      if (!(error instanceof DownloadError)) throw error;
      toast('error', `The receipt could not be downloaded: ${error.message}`, error.requestId);
    } finally {
      setPending(false);
    }
  }
  return { pending, download: () => void download() };
}

/** The payment's receipt (the provider's own PDF where it issues one, else Paydesk's). */
export function ReceiptButton({ transactionId }: { transactionId: string }) {
  const { pending, download } = useReceiptDownload(transactionId);
  return (
    <Button
      variant="outlined"
      startIcon={<DownloadIcon />}
      loading={pending}
      loadingPosition="start"
      onClick={download}
    >
      Receipt
    </Button>
  );
}

/** One operation's receipt (a refund's, say), from the operations table. */
export function OperationReceiptButton({
  transactionId,
  operationId,
  label,
}: {
  transactionId: string;
  operationId: string;
  label: string;
}) {
  const { pending, download } = useReceiptDownload(transactionId, operationId);
  return (
    <Tooltip title={label}>
      <IconButton size="small" aria-label={label} disabled={pending} onClick={download}>
        <DownloadIcon fontSize="small" />
      </IconButton>
    </Tooltip>
  );
}
