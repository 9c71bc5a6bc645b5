import LogoutIcon from '@mui/icons-material/Logout';
import DevicesIcon from '@mui/icons-material/Devices';
import Avatar from '@mui/material/Avatar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { roleLabels } from '@paydesk/domain';
import { trpc, type SignedInUser } from '../../lib/trpc.ts';
import { sessionsPath } from '../navigation.ts';

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => p?.[0]?.toUpperCase() ?? '').join('') || '?';
}

export function UserMenu({ user }: { user: SignedInUser }) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const buttonId = useId();
  const menuId = useId();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      // A full page load: nothing of this session (cached data, screen state) survives into the next.
      onSuccess: () => window.location.assign('/sign-in'),
    }),
  );
  const close = () => setAnchor(null);

  return (
    <>
      <Button
        id={buttonId}
        color="inherit"
        aria-haspopup="menu"
        aria-controls={anchor ? menuId : undefined}
        aria-expanded={anchor ? true : undefined}
        aria-label={`Account: ${user.name}, ${roleLabels[user.role]}`}
        onClick={(event) => setAnchor(event.currentTarget)}
        sx={{ gap: 1, px: 1 }}
      >
        <Avatar sx={{ width: 32, height: 32, fontSize: '0.875rem', bgcolor: 'primary.main' }} aria-hidden>
          {initials(user.name)}
        </Avatar>
        <Box
          component="span"
          sx={{
            display: { xs: 'none', sm: 'flex' },
            flexDirection: 'column',
            alignItems: 'flex-start',
            lineHeight: 1.2,
          }}
        >
          <span>{user.name}</span>
          <Box component="span" sx={{ fontSize: '0.75rem', fontWeight: 400, color: 'text.secondary' }}>
            {roleLabels[user.role]}
          </Box>
        </Box>
      </Button>
      <Menu
        id={menuId}
        anchorEl={anchor}
        open={anchor !== null}
        onClose={close}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{ list: { 'aria-labelledby': buttonId } }}
      >
        {/* Who is signed in, as a menu entry that does nothing: a menu may hold only menu items. */}
        <MenuItem disabled sx={{ '&.Mui-disabled': { opacity: 1 } }}>
          <ListItemText primary={user.name} secondary={`${user.email} · ${roleLabels[user.role]}`} />
        </MenuItem>
        <Divider />
        <MenuItem component={RouterLink} to={sessionsPath} onClick={close}>
          <ListItemIcon>
            <DevicesIcon fontSize="small" />
          </ListItemIcon>
          Sessions
        </MenuItem>
        <MenuItem onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          <ListItemIcon>
            <LogoutIcon fontSize="small" />
          </ListItemIcon>
          Sign out
        </MenuItem>
      </Menu>
    </>
  );
}
