import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';

declare module '@mui/x-data-grid' {
  interface NoRowsOverlayPropsOverrides {
    filtered?: boolean;
  }
}

export function NoEntriesOverlay({ filtered }: { filtered?: boolean }) {
  return (
    <Box
      sx={{
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        height: '100%',
        p: 3,
        textAlign: 'center',
      }}
    >
      <Typography variant="h3" component="p">
        {filtered ? 'No entries match these filters' : 'No entries yet'}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {filtered
          ? 'Widen the date range or clear a filter.'
          : 'Actions taken in Paydesk appear here as they happen.'}
      </Typography>
    </Box>
  );
}
