import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { CopyButton } from '../../components/copy-button.tsx';
import { isEmptyPayload, prettyPayload } from './payload.ts';

/**
 * A payload, pretty-printed in a scrollable block that keyboard users can focus and scroll. What the
 * API sends is already redacted: secrets, signatures and card numbers never reach the browser.
 */
export function PayloadViewer({
  title,
  value,
  emptyText = 'Nothing was recorded.',
  maxHeight = 420,
  headingLevel = 'h3',
  copyLabel = `Copy the ${title.toLowerCase()}`,
}: {
  title: string;
  value: unknown;
  emptyText?: string;
  maxHeight?: number;
  headingLevel?: 'h3' | 'h4';
  copyLabel?: string;
}) {
  const headingId = useId();
  const empty = isEmptyPayload(value);
  const text = empty ? '' : prettyPayload(value);
  return (
    <Box sx={{ minWidth: 0 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
        <Typography id={headingId} component={headingLevel} variant="subtitle2" sx={{ flex: 1 }}>
          {title}
        </Typography>
        {empty ? null : <CopyButton text={text} label={copyLabel} copiedLabel="Copied" />}
      </Box>
      {empty ? (
        <Typography variant="body2" color="text.secondary">
          {emptyText}
        </Typography>
      ) : (
        <Box
          component="pre"
          tabIndex={0}
          role="region"
          aria-labelledby={headingId}
          sx={{
            m: 0,
            p: 1.5,
            bgcolor: 'grey.50',
            border: 1,
            borderColor: 'divider',
            borderRadius: 1,
            fontSize: '0.8125rem',
            lineHeight: 1.5,
            overflow: 'auto',
            maxHeight,
            '&:focus-visible': { outline: 2, outlineColor: 'primary.main', outlineStyle: 'solid' },
          }}
        >
          {text}
        </Box>
      )}
    </Box>
  );
}
