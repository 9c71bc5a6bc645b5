import CheckIcon from '@mui/icons-material/Check';
import DensityMediumIcon from '@mui/icons-material/DensityMedium';
import ViewColumnIcon from '@mui/icons-material/ViewColumn';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { ColumnsPanelTrigger, Toolbar, type GridDensity } from '@mui/x-data-grid';
import { useId, useState, type ReactNode } from 'react';

declare module '@mui/x-data-grid' {
  interface ToolbarPropsOverrides {
    summary?: ReactNode;
    density?: GridDensity;
    onDensity?: (density: GridDensity) => void;
  }
}

const densities: { value: GridDensity; label: string }[] = [
  { value: 'compact', label: 'Compact' },
  { value: 'standard', label: 'Standard' },
  { value: 'comfortable', label: 'Comfortable' },
];

function DensityMenu({ density, onDensity }: { density: GridDensity; onDensity: (d: GridDensity) => void }) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const open = anchor !== null;
  const buttonId = useId();
  const menuId = useId();
  return (
    <>
      <Button
        id={buttonId}
        size="small"
        startIcon={<DensityMediumIcon />}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={(event) => setAnchor(event.currentTarget)}
      >
        Density
      </Button>
      <Menu
        id={menuId}
        anchorEl={anchor}
        open={open}
        onClose={() => setAnchor(null)}
        slotProps={{ list: { 'aria-labelledby': buttonId } }}
      >
        {densities.map((option) => (
          <MenuItem
            key={option.value}
            role="menuitemradio"
            aria-checked={density === option.value}
            selected={density === option.value}
            onClick={() => {
              onDensity(option.value);
              setAnchor(null);
            }}
          >
            <ListItemIcon>{density === option.value ? <CheckIcon fontSize="small" /> : null}</ListItemIcon>
            <ListItemText>{option.label}</ListItemText>
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}

/** The grid's own toolbar: what the result is, on the left; columns and density, on the right. */
export function TransactionsGridToolbar({
  summary,
  density = 'standard',
  onDensity,
}: {
  summary?: ReactNode;
  density?: GridDensity;
  onDensity?: (density: GridDensity) => void;
}) {
  return (
    <Toolbar style={{ minHeight: 52, gap: 8, paddingInline: 12, justifyContent: 'flex-start' }}>
      <Box sx={{ flex: 1, minWidth: 0 }}>{summary}</Box>
      <ColumnsPanelTrigger size="small" startIcon={<ViewColumnIcon />}>
        Columns
      </ColumnsPanelTrigger>
      {onDensity ? <DensityMenu density={density} onDensity={onDensity} /> : null}
    </Toolbar>
  );
}
