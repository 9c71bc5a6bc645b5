import AnalyticsIcon from '@mui/icons-material/Analytics';
import ApprovalIcon from '@mui/icons-material/Approval';
import CableIcon from '@mui/icons-material/Cable';
import DescriptionIcon from '@mui/icons-material/Description';
import GroupIcon from '@mui/icons-material/Group';
import HistoryIcon from '@mui/icons-material/History';
import PolicyIcon from '@mui/icons-material/Policy';
import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import SecurityIcon from '@mui/icons-material/Security';
import WebhookIcon from '@mui/icons-material/Webhook';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import type { Permission } from '@paydesk/domain';
import { visibleScreens, type Screen, type ScreenId } from '../navigation.ts';

const icons: Record<ScreenId, ReactNode> = {
  transactions: <ReceiptLongIcon />,
  approvals: <ApprovalIcon />,
  analytics: <AnalyticsIcon />,
  reports: <DescriptionIcon />,
  connections: <CableIcon />,
  webhooks: <WebhookIcon />,
  users: <GroupIcon />,
  'refunds-settings': <PolicyIcon />,
  security: <SecurityIcon />,
  'audit-log': <HistoryIcon />,
};

function Item({ screen, onNavigate }: { screen: Screen; onNavigate: () => void }) {
  return (
    <li>
      <ListItemButton
        component={NavLink}
        to={screen.path}
        onClick={onNavigate}
        sx={{
          borderRadius: 1,
          mx: 1,
          // NavLink marks the current screen with aria-current="page" and the "active" class.
          '&.active': {
            bgcolor: 'action.selected',
            color: 'primary.main',
            '& .MuiListItemIcon-root': { color: 'primary.main' },
          },
        }}
      >
        <ListItemIcon sx={{ minWidth: 40 }}>{icons[screen.id]}</ListItemIcon>
        <ListItemText primary={screen.label} />
      </ListItemButton>
    </li>
  );
}

export function NavigationList({
  permissions,
  onNavigate,
}: {
  permissions: readonly Permission[];
  onNavigate: () => void;
}) {
  const { main, settings } = visibleScreens(permissions);
  return (
    <nav aria-label="Main">
      <List component="ul" sx={{ py: 1 }}>
        {main.map((screen) => (
          <Item key={screen.id} screen={screen} onNavigate={onNavigate} />
        ))}
      </List>
      {settings.length > 0 ? (
        <>
          {/* The heading sits outside the <ul>: a list may only contain list items. */}
          <Typography
            id="nav-settings"
            component="h2"
            variant="overline"
            sx={{ display: 'block', px: 3, pt: 1, color: 'text.secondary', fontWeight: 600 }}
          >
            Settings
          </Typography>
          <List component="ul" aria-labelledby="nav-settings" sx={{ pt: 0 }}>
            {settings.map((screen) => (
              <Item key={screen.id} screen={screen} onNavigate={onNavigate} />
            ))}
          </List>
        </>
      ) : null}
    </nav>
  );
}
