import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';

export function NoUsersOverlay() {
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
        No users match
      </Typography>
      <Typography variant="body2" color="text.secondary">
        Try another search, or clear it to see everyone.
      </Typography>
    </Box>
  );
}
