import VisibilityIcon from '@mui/icons-material/Visibility';
import IconButton from '@mui/material/IconButton';
import { useLayoutEffect, useRef } from 'react';

/** A grid cell's button that takes the focus when keyboard navigation lands on its cell. */
export function DetailsButton({
  label,
  tabIndex,
  hasFocus,
  onOpen,
}: {
  label: string;
  tabIndex: 0 | -1;
  hasFocus: boolean;
  onOpen: () => void;
}) {
  const button = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (hasFocus) button.current?.focus();
  }, [hasFocus]);
  return (
    <IconButton
      ref={button}
      size="small"
      tabIndex={tabIndex}
      aria-label={label}
      aria-haspopup="dialog"
      onClick={(event) => {
        event.stopPropagation();
        onOpen();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') event.stopPropagation();
      }}
    >
      <VisibilityIcon fontSize="small" />
    </IconButton>
  );
}
