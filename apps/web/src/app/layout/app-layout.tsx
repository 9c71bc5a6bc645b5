import MenuIcon from '@mui/icons-material/Menu';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import Link from '@mui/material/Link';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import { useTheme } from '@mui/material/styles';
import { useState } from 'react';
import { Link as RouterLink, Outlet, useLocation } from 'react-router';
import { NoAccess } from '../../components/no-access.tsx';
import { accessDeniedStore } from '../../lib/access-denied.ts';
import { useStore } from '../../lib/store.ts';
import type { SignedInUser } from '../../lib/trpc.ts';
import { NavigationList } from './navigation-list.tsx';
import { UserMenu } from './user-menu.tsx';

const drawerWidth = 248;

export function AppLayout({ user }: { user: SignedInUser }) {
  const theme = useTheme();
  const wide = useMediaQuery(theme.breakpoints.up('md'), { noSsr: true });
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();
  const denied = useStore(accessDeniedStore);
  const deniedHere = denied && denied.path === location.pathname ? denied : null;

  const navigation = (
    <NavigationList permissions={user.permissions} onNavigate={() => setDrawerOpen(false)} />
  );

  return (
    <Box sx={{ display: 'flex', minHeight: '100vh' }}>
      <Link
        href="#main"
        sx={{
          position: 'absolute',
          left: 8,
          top: -48,
          zIndex: (t) => t.zIndex.tooltip,
          bgcolor: 'background.paper',
          p: 1,
          borderRadius: 1,
          '&:focus': { top: 8 },
        }}
      >
        Skip to main content
      </Link>
      <AppBar
        position="fixed"
        color="inherit"
        sx={{ zIndex: (t) => t.zIndex.drawer + 1, borderBottom: 1, borderColor: 'divider' }}
      >
        <Toolbar sx={{ gap: 1 }}>
          {wide ? null : (
            <IconButton
              edge="start"
              aria-label="Open navigation"
              aria-expanded={drawerOpen}
              onClick={() => setDrawerOpen(true)}
            >
              <MenuIcon />
            </IconButton>
          )}
          <Typography
            component={RouterLink}
            to="/"
            variant="h6"
            sx={{ fontWeight: 700, color: 'primary.main', textDecoration: 'none', mr: 'auto' }}
          >
            Paydesk
          </Typography>
          <UserMenu user={user} />
        </Toolbar>
      </AppBar>
      {wide ? (
        <Drawer
          variant="permanent"
          sx={{
            width: drawerWidth,
            flexShrink: 0,
            '& .MuiDrawer-paper': { width: drawerWidth, boxSizing: 'border-box' },
          }}
        >
          <Toolbar />
          {navigation}
        </Drawer>
      ) : (
        <Drawer
          variant="temporary"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          sx={{ '& .MuiDrawer-paper': { width: drawerWidth } }}
        >
          {navigation}
        </Drawer>
      )}
      <Box
        component="main"
        id="main"
        tabIndex={-1}
        sx={{ flexGrow: 1, minWidth: 0, p: { xs: 2, md: 4 }, outline: 'none' }}
      >
        <Toolbar />
        {deniedHere ? <NoAccess message={deniedHere.message} /> : <Outlet />}
      </Box>
    </Box>
  );
}
