import { createTheme } from '@mui/material/styles';

// System fonts: no web-font download, and the CSP keeps fonts same-origin anyway.
const fontFamily = [
  'system-ui',
  '-apple-system',
  '"Segoe UI"',
  'Roboto',
  '"Helvetica Neue"',
  'Arial',
  'sans-serif',
].join(',');

export const theme = createTheme({
  palette: {
    mode: 'light',
    // Both colours keep white text at WCAG AA contrast (4.5:1 or more).
    primary: { main: '#1c4fd8' },
    secondary: { main: '#5b21b6' },
    // MUI's default amber (#ed6c02) is 3:1 on white: too faint for the outlined "Invited" chip's text.
    warning: { main: '#b45309' },
    background: { default: '#f6f7f9', paper: '#ffffff' },
  },
  shape: { borderRadius: 8 },
  typography: {
    fontFamily,
    h1: { fontSize: '1.625rem', fontWeight: 600 },
    h2: { fontSize: '1.25rem', fontWeight: 600 },
    h3: { fontSize: '1.0625rem', fontWeight: 600 },
    button: { textTransform: 'none', fontWeight: 600 },
  },
  components: {
    MuiButtonBase: { defaultProps: { disableRipple: false } },
    MuiTextField: { defaultProps: { fullWidth: true } },
    MuiAppBar: { defaultProps: { elevation: 0 } },
    MuiPaper: { defaultProps: { variant: 'outlined' } },
  },
});
