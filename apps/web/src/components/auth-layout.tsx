import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { usePageTitle } from './page-header.tsx';

/** The frame of the pages before the app: sign-in, its steps, and account setup. */
export function AuthLayout({
  title,
  subtitle,
  children,
  wide = false,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  usePageTitle(title);
  return (
    <Box
      component="main"
      sx={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', p: 2 }}
    >
      <Box sx={{ width: '100%', maxWidth: wide ? 560 : 420 }}>
        <Typography
          aria-hidden
          sx={{ fontWeight: 700, fontSize: '1.5rem', color: 'primary.main', textAlign: 'center', mb: 2 }}
        >
          Paydesk
        </Typography>
        <Paper sx={{ p: { xs: 3, sm: 4 } }}>
          <Typography variant="h1" component="h1" sx={{ fontSize: '1.375rem', mb: subtitle ? 1 : 3 }}>
            {title}
          </Typography>
          {subtitle ? (
            <Typography color="text.secondary" sx={{ mb: 3 }} component="div">
              {subtitle}
            </Typography>
          ) : null}
          {children}
        </Paper>
      </Box>
    </Box>
  );
}
