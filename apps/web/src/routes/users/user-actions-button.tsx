import MoreVertIcon from '@mui/icons-material/MoreVert';
import IconButton from '@mui/material/IconButton';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { useId, useLayoutEffect, useRef, useState } from 'react';
import type { UserRow } from './types.ts';

export type UserAction = 'role' | 'setupLink' | 'resetMfa' | 'deactivate' | 'reactivate';

interface Props {
  user: UserRow;
  isSelf: boolean;
  /** The grid's roving tab index: only the focused cell's button is in the tab order. */
  tabIndex: 0 | -1;
  hasFocus: boolean;
  onAction: (action: UserAction, user: UserRow) => void;
}

export function UserActionsButton({ user, isSelf, tabIndex, hasFocus, onAction }: Props) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = useId();

  // When keyboard navigation in the grid lands on this cell, the button takes the focus.
  useLayoutEffect(() => {
    if (hasFocus && !anchor) button.current?.focus();
  }, [hasFocus, anchor]);

  const pick = (action: UserAction) => {
    setAnchor(null);
    onAction(action, user);
  };
  const deactivated = user.status === 'deactivated';
  const selfNote = 'You cannot do this to your own account; ask another administrator.';

  return (
    <>
      <IconButton
        ref={button}
        size="small"
        tabIndex={tabIndex}
        aria-label={`Actions for ${user.name}`}
        aria-haspopup="menu"
        aria-controls={anchor ? menuId : undefined}
        aria-expanded={anchor ? true : undefined}
        onClick={(event) => {
          event.stopPropagation();
          setAnchor(event.currentTarget);
        }}
        // Enter/Space open the menu; the grid must not also take them as cell commands. Arrow keys
        // still reach the grid, so keyboard navigation moves on from this cell.
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === ' ') event.stopPropagation();
        }}
      >
        <MoreVertIcon fontSize="small" />
      </IconButton>
      <Menu
        id={menuId}
        anchorEl={anchor}
        open={anchor !== null}
        onClose={() => setAnchor(null)}
        // The menu is portalled, but React events still bubble to the grid cell that rendered it.
        onKeyDown={(event) => event.stopPropagation()}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
      >
        <MenuItem onClick={() => pick('role')} disabled={isSelf || deactivated}>
          <ListItemText primary="Change role…" secondary={isSelf ? selfNote : undefined} />
        </MenuItem>
        <MenuItem onClick={() => pick('setupLink')} disabled={deactivated}>
          <ListItemText primary="Issue a new setup link…" />
        </MenuItem>
        <MenuItem onClick={() => pick('resetMfa')} disabled={!user.mfaEnabled}>
          <ListItemText
            primary="Reset two-factor authentication…"
            secondary={user.mfaEnabled ? undefined : 'Not set up'}
          />
        </MenuItem>
        {deactivated ? (
          <MenuItem onClick={() => pick('reactivate')}>
            <ListItemText primary="Reactivate…" />
          </MenuItem>
        ) : (
          <MenuItem onClick={() => pick('deactivate')} disabled={isSelf} sx={{ color: 'error.main' }}>
            <ListItemText primary="Deactivate…" secondary={isSelf ? selfNote : undefined} />
          </MenuItem>
        )}
      </Menu>
    </>
  );
}
