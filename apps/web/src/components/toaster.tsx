import Alert from '@mui/material/Alert';
import Snackbar from '@mui/material/Snackbar';
import Typography from '@mui/material/Typography';
import { dismissToast, toastStore } from '../lib/toasts.ts';
import { useStore } from '../lib/store.ts';

/** Shows queued toasts one at a time. Failures stay longer, and quote the request id for support. */
export function Toaster() {
  const queue = useStore(toastStore);
  const current = queue[0];
  if (!current) return null;
  const close = () => dismissToast(current.id);
  return (
    <Snackbar
      key={current.id}
      open
      autoHideDuration={current.severity === 'error' ? 12_000 : 5_000}
      onClose={(_event, reason) => {
        if (reason !== 'clickaway') close();
      }}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
    >
      <Alert
        severity={current.severity}
        variant="filled"
        onClose={close}
        sx={{ maxWidth: 560 }}
        role={current.severity === 'error' ? 'alert' : 'status'}
      >
        {current.message}
        {current.requestId ? (
          <Typography variant="caption" component="div">
            Request id: {current.requestId}
          </Typography>
        ) : null}
      </Alert>
    </Snackbar>
  );
}
