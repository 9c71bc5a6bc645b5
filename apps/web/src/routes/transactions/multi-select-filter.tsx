import CheckBoxIcon from '@mui/icons-material/CheckBox';
import CheckBoxOutlineBlankIcon from '@mui/icons-material/CheckBoxOutlineBlank';
import Box from '@mui/material/Box';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import type { ReactNode } from 'react';

export interface FilterOption<T extends string> {
  value: T;
  label: string;
  /** A second line in the menu, such as a connection's provider. */
  detail?: string;
}

/**
 * A labelled select of several values, "All" when none is picked. The options' selection is their
 * `aria-selected`; the check boxes are pictures of it, not inputs nested in an option.
 */
export function MultiSelectFilter<T extends string>({
  label,
  value,
  options,
  onToggle,
  width = 170,
  helperText,
}: {
  label: string;
  value: readonly T[];
  options: readonly FilterOption<T>[];
  /** One option picked or unpicked. Said as a toggle, not a new list: a second click that lands before
   * the URL has caught up with the first must not undo it. */
  onToggle: (value: T) => void;
  width?: number;
  helperText?: ReactNode;
}) {
  // A value from the URL that the options do not list (a connection since removed) stays visible.
  const known = new Set(options.map((o) => o.value));
  const all = [...options, ...value.filter((v) => !known.has(v)).map((v) => ({ value: v, label: v }))];
  const labelOf = (v: string) => all.find((o) => o.value === v)?.label ?? v;
  return (
    <TextField
      select
      size="small"
      label={label}
      value={value}
      onChange={(event) => {
        const raw = event.target.value as unknown as string | string[];
        const next = typeof raw === 'string' ? raw.split(',') : raw;
        const toggled = [
          ...next.filter((v) => !value.includes(v as T)),
          ...value.filter((v) => !next.includes(v)),
        ];
        for (const v of toggled) onToggle(v as T);
      }}
      helperText={helperText}
      sx={{ width }}
      slotProps={{
        inputLabel: { shrink: true },
        select: {
          multiple: true,
          displayEmpty: true,
          renderValue: (selected: unknown) => {
            const chosen = Array.isArray(selected) ? (selected as string[]) : [];
            if (chosen.length === 0) {
              return (
                <Box component="span" sx={{ color: 'text.secondary' }}>
                  All
                </Box>
              );
            }
            return chosen.length <= 2 ? chosen.map(labelOf).join(', ') : `${chosen.length} selected`;
          },
          MenuProps: { slotProps: { paper: { sx: { maxHeight: 360 } } } },
        },
      }}
    >
      {all.map((option) => {
        const selected = value.includes(option.value);
        return (
          <MenuItem key={option.value} value={option.value} dense>
            <ListItemIcon aria-hidden sx={{ color: selected ? 'primary.main' : 'action.active' }}>
              {selected ? <CheckBoxIcon fontSize="small" /> : <CheckBoxOutlineBlankIcon fontSize="small" />}
            </ListItemIcon>
            <ListItemText primary={option.label} secondary={'detail' in option ? option.detail : undefined} />
          </MenuItem>
        );
      })}
    </TextField>
  );
}
