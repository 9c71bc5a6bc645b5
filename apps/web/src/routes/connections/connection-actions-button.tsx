import MoreVertIcon from '@mui/icons-material/MoreVert';
import IconButton from '@mui/material/IconButton';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { useId, useState } from 'react';
import type { ConnectionRow } from './types.ts';

export type ConnectionAction = 'edit' | 'credentials' | 'webhookSecret' | 'enable' | 'disable';

/** The less frequent actions on a connection, in a menu so each card stays readable. */
export function ConnectionActionsButton({
  connection,
  onAction,
}: {
  connection: ConnectionRow;
  onAction: (action: ConnectionAction) => void;
}) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const menuId = useId();
  const pick = (action: ConnectionAction) => {
    setAnchor(null);
    onAction(action);
  };

  return (
    <>
      <IconButton
        aria-label={`More actions for ${connection.name}`}
        aria-haspopup="menu"
        aria-controls={anchor ? menuId : undefined}
        aria-expanded={anchor ? true : undefined}
        onClick={(event) => setAnchor(event.currentTarget)}
      >
        <MoreVertIcon />
      </IconButton>
      <Menu
        id={menuId}
        anchorEl={anchor}
        open={anchor !== null}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
      >
        <MenuItem onClick={() => pick('edit')}>
          <ListItemText primary="Edit name or base URL…" />
        </MenuItem>
        <MenuItem onClick={() => pick('credentials')}>
          <ListItemText primary="Rotate credentials…" />
        </MenuItem>
        {connection.webhookSigning === 'none' ? null : (
          <MenuItem onClick={() => pick('webhookSecret')}>
            <ListItemText primary="Rotate webhook secret…" />
          </MenuItem>
        )}
        {connection.enabled ? (
          <MenuItem onClick={() => pick('disable')} sx={{ color: 'error.main' }}>
            <ListItemText primary="Disable…" />
          </MenuItem>
        ) : (
          <MenuItem onClick={() => pick('enable')}>
            <ListItemText primary="Enable…" />
          </MenuItem>
        )}
      </Menu>
    </>
  );
}
