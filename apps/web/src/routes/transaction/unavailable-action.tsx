import Button from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import type { ReactNode } from 'react';

/**
 * An action this transaction does not allow, kept in view with the reason: focusable (so the reason is
 * reachable by keyboard and read as its description) but doing nothing.
 */
export function UnavailableAction({
  label,
  reason,
  icon,
}: {
  label: string;
  reason: string;
  icon?: ReactNode;
}) {
  return (
    <Tooltip title={reason} describeChild>
      <Button
        variant="outlined"
        aria-disabled="true"
        startIcon={icon}
        onClick={(event) => event.preventDefault()}
        sx={{
          color: 'text.disabled',
          borderColor: 'action.disabledBackground',
          cursor: 'not-allowed',
          '&:hover': { borderColor: 'action.disabledBackground', bgcolor: 'transparent' },
        }}
      >
        {label}
      </Button>
    </Tooltip>
  );
}
