import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { readAppError } from '../lib/app-error.ts';

export function Loading({ label = 'Loading…', fullPage = false }: { label?: string; fullPage?: boolean }) {
  return (
    <Box
      role="status"
      aria-live="polite"
      sx={{
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        gap: 2,
        py: 6,
        ...(fullPage ? { minHeight: '100vh' } : {}),
      }}
    >
      <CircularProgress size={24} aria-hidden />
      <Typography color="text.secondary">{label}</Typography>
    </Box>
  );
}

/** A failed load, with what the server said, its request id, and a way to try again. */
export function ErrorState({
  error,
  onRetry,
  title = 'This could not be loaded',
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const info = readAppError(error);
  return (
    <Alert
      severity="error"
      action={
        onRetry ? (
          <Button color="inherit" size="small" onClick={onRetry}>
            Try again
          </Button>
        ) : undefined
      }
    >
      <AlertTitle>{title}</AlertTitle>
      {info.userMessage}
      {info.requestId ? (
        <Typography variant="caption" component="div" sx={{ mt: 0.5 }}>
          Request id: <code>{info.requestId}</code>
        </Typography>
      ) : null}
    </Alert>
  );
}

/** An empty or not-yet-available state: an illustration-free panel that says what is (not) here and why. */
export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Box
      sx={{
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        textAlign: 'center',
        gap: 1.5,
        py: 8,
        px: 3,
        border: 1,
        borderStyle: 'dashed',
        borderColor: 'divider',
        borderRadius: 2,
        bgcolor: 'background.paper',
      }}
    >
      {icon ? (
        <Box aria-hidden sx={{ color: 'primary.main', '& svg': { fontSize: 48 } }}>
          {icon}
        </Box>
      ) : null}
      <Typography variant="h2" component="h2">
        {title}
      </Typography>
      {children ? (
        <Typography color="text.secondary" sx={{ maxWidth: '60ch' }} component="div">
          {children}
        </Typography>
      ) : null}
      {action}
    </Box>
  );
}
