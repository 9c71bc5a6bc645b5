import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { useId, type ReactNode } from 'react';
import { formatDateTime } from '../../lib/format.ts';
import { formatRecorded } from './filters.ts';
import { auditResults, targetOf, type AuditRow } from './results.ts';

function Recorded({ title, value }: { title: string; value: unknown }) {
  const headingId = useId();
  return (
    <Box sx={{ flex: '1 1 260px', minWidth: 0 }}>
      <Typography id={headingId} component="h3" variant="subtitle2" gutterBottom>
        {title}
      </Typography>
      <Box
        component="pre"
        // Focusable and named, so keyboard users can scroll a long value.
        tabIndex={0}
        role="region"
        aria-labelledby={headingId}
        sx={{
          m: 0,
          p: 1.5,
          bgcolor: 'grey.100',
          borderRadius: 1,
          fontSize: '0.8125rem',
          overflow: 'auto',
          maxHeight: 320,
        }}
      >
        {formatRecorded(value)}
      </Box>
    </Box>
  );
}

export function AuditDetailDialog({ row, onClose }: { row: AuditRow | null; onClose: () => void }) {
  const titleId = useId();
  const fields: [string, ReactNode][] = row
    ? [
        ['When', formatDateTime(row.at, { seconds: true })],
        ['Actor', row.actorEmail ?? 'System'],
        ['Action', <code key="a">{row.action}</code>],
        [
          'Result',
          <Chip
            key="r"
            size="small"
            variant="outlined"
            label={auditResults[row.result].label}
            color={auditResults[row.result].color}
          />,
        ],
        ['Target', targetOf(row)],
        ['Reason', row.reason ?? '—'],
        ['IP address', row.ip ?? '—'],
        ['Browser', row.userAgent ?? '—'],
        ['Entry', `#${row.id}`],
      ]
    : [];
  return (
    <Dialog open={row !== null} onClose={onClose} aria-labelledby={titleId} maxWidth="md" fullWidth>
      {row ? (
        <>
          <DialogTitle id={titleId}>Audit entry: {row.action}</DialogTitle>
          <DialogContent>
            <Box
              component="dl"
              sx={{
                display: 'grid',
                gridTemplateColumns: 'max-content 1fr',
                columnGap: 3,
                rowGap: 1,
                m: 0,
                mb: 3,
              }}
            >
              {fields.map(([label, value]) => (
                <Box key={label} sx={{ display: 'contents' }}>
                  <Typography component="dt" variant="body2" color="text.secondary">
                    {label}
                  </Typography>
                  <Typography component="dd" variant="body2" sx={{ m: 0, wordBreak: 'break-word' }}>
                    {value}
                  </Typography>
                </Box>
              ))}
            </Box>
            <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
              <Recorded title="Before" value={row.before} />
              <Recorded title="After" value={row.after} />
            </Box>
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose} variant="contained">
              Close
            </Button>
          </DialogActions>
        </>
      ) : null}
    </Dialog>
  );
}
