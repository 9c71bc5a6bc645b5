import CheckIcon from '@mui/icons-material/Check';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import { useCopyToClipboard } from '../../components/copy-button.tsx';

/** A compact copy button for a value in a list; its name says what it copies. */
export function CopyIconButton({ text, label }: { text: string; label: string }) {
  const { copied, copy } = useCopyToClipboard(text);
  return (
    <Tooltip title={copied ? 'Copied' : label}>
      <IconButton
        size="small"
        aria-label={copied ? `${label}: copied` : label}
        onClick={() => void copy()}
        sx={{ ml: 0.5, my: -0.5 }}
      >
        {copied ? <CheckIcon fontSize="small" color="success" /> : <ContentCopyIcon fontSize="small" />}
      </IconButton>
    </Tooltip>
  );
}
