import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useId, type ReactNode } from 'react';
import { VisuallyHidden } from '../../components/visually-hidden.tsx';
import type { StatusLook } from './status.ts';
import { formatInstant, instantParts } from './time.ts';

/** A titled part of the page: a landmark named by its h2. */
export function Section({
  title,
  description,
  actions,
  children,
  padded = true,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  padded?: boolean;
}) {
  const titleId = useId();
  return (
    <Paper component="section" aria-labelledby={titleId} sx={{ overflow: 'hidden' }}>
      <Box
        sx={{
          display: 'flex',
          flexWrap: 'wrap',
          alignItems: 'center',
          gap: 1,
          px: { xs: 2, sm: 3 },
          pt: 2,
          pb: padded ? 0 : 1.5,
        }}
      >
        <Box sx={{ flex: '1 1 240px', minWidth: 0 }}>
          <Typography id={titleId} variant="h2" component="h2">
            {title}
          </Typography>
          {description ? (
            <Typography variant="body2" color="text.secondary" sx={{ mt: 0.25 }}>
              {description}
            </Typography>
          ) : null}
        </Box>
        {actions}
      </Box>
      <Box sx={padded ? { px: { xs: 2, sm: 3 }, pt: 2, pb: 2.5 } : {}}>{children}</Box>
    </Paper>
  );
}

export function StatusChip({ look, size = 'small' }: { look: StatusLook; size?: 'small' | 'medium' }) {
  return (
    <Chip
      size={size}
      label={look.label}
      color={look.tone}
      variant={look.tone === 'default' ? 'outlined' : 'filled'}
    />
  );
}

/** The provider's own word for the status, kept beside the unified one. */
export function RawStatus({ value, showLabel = true }: { value: string; showLabel?: boolean }) {
  const label = 'Provider status';
  return (
    <Typography component="span" variant="body2" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
      {showLabel ? `${label} ` : <VisuallyHidden>{label} </VisuallyHidden>}
      <Box
        component="code"
        sx={{
          color: 'text.primary',
          bgcolor: 'grey.100',
          px: 0.75,
          py: 0.25,
          borderRadius: 0.5,
          fontSize: '0.8125rem',
        }}
      >
        {value}
      </Box>
    </Typography>
  );
}

/** An instant with its time zone; `stacked` puts the day above the time, for table cells. */
export function Instant({ iso, stacked = false }: { iso: string | null | undefined; stacked?: boolean }) {
  if (!iso) return <>—</>;
  const parts = stacked ? instantParts(iso) : null;
  return (
    <time dateTime={iso} title={iso}>
      {parts ? (
        <>
          {parts.day}
          <Box component="span" sx={{ display: 'block', color: 'text.secondary', fontSize: '0.75rem' }}>
            {parts.clock}
          </Box>
        </>
      ) : (
        formatInstant(iso)
      )}
    </time>
  );
}

/** A description list laid out as a two-column grid on wide screens. */
export function DetailList({
  children,
  termWidth = 168,
  stacked = false,
}: {
  children: ReactNode;
  termWidth?: number;
  /** Each term above its value, for a narrow column. */
  stacked?: boolean;
}) {
  if (stacked) {
    return (
      <Box component="dl" sx={{ m: 0, '& dd': { mb: 1.5 }, '& dd:last-of-type': { mb: 0 } }}>
        {children}
      </Box>
    );
  }
  return (
    <Box
      component="dl"
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', sm: `${termWidth}px minmax(0, 1fr)` },
        columnGap: 3,
        rowGap: { xs: 0.25, sm: 1.25 },
        m: 0,
        '& dd': { mb: { xs: 1.25, sm: 0 } },
      }}
    >
      {children}
    </Box>
  );
}

export function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <Typography component="dt" variant="body2" sx={{ color: 'text.secondary', fontWeight: 500 }}>
        {term}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, minWidth: 0, overflowWrap: 'anywhere' }}>
        {children}
      </Typography>
    </>
  );
}

export function Mono({ children }: { children: ReactNode }) {
  return (
    <Box
      component="span"
      sx={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: '0.8125rem' }}
    >
      {children}
    </Box>
  );
}
