import Alert from '@mui/material/Alert';
import type { AppErrorInfo } from '../lib/app-error.ts';

/** A form's refusal, as the server worded it. The request id matters only when the fault is ours. */
export function FormError({ error }: { error: AppErrorInfo | null }) {
  if (!error) return null;
  const showId = error.requestId && (error.code === 'internal' || (error.httpStatus ?? 0) >= 500);
  return (
    <Alert severity="error" sx={{ mb: 2 }}>
      {error.userMessage}
      {showId ? ` (request id ${error.requestId})` : null}
    </Alert>
  );
}
