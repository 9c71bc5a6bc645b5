import PublicIcon from '@mui/icons-material/Public';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { sharedLabel, type SavedView } from './view-state.ts';

/**
 * The saved views one can see: one's own (rename, delete) and the shared ones. Whoever may publish
 * shares a view with everyone or stops sharing it.
 */
export function ManageViewsDialog({
  open,
  views,
  canPublish,
  sharePending,
  onRename,
  onDelete,
  onShare,
  onClose,
}: {
  open: boolean;
  views: readonly SavedView[];
  canPublish: boolean;
  sharePending: string | null;
  onRename: (view: SavedView) => void;
  onDelete: (view: SavedView) => void;
  onShare: (view: SavedView, shared: boolean) => void;
  onClose: () => void;
}) {
  const titleId = useId();
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} maxWidth="sm" fullWidth>
      <DialogTitle id={titleId}>Saved views</DialogTitle>
      <DialogContent>
        {views.length === 0 ? (
          <DialogContentText>No saved views yet.</DialogContentText>
        ) : (
          <List aria-labelledby={titleId} disablePadding>
            {views.map((view) => {
              const label = sharedLabel(view);
              return (
                <ListItem
                  key={view.id}
                  divider
                  disableGutters
                  sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'center', py: 1.25 }}
                >
                  <Box sx={{ flex: '1 1 200px', minWidth: 0 }}>
                    <Typography variant="body1" sx={{ fontWeight: 600, wordBreak: 'break-word' }}>
                      {view.name}
                    </Typography>
                    <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', mt: 0.25 }}>
                      {label ? (
                        <Chip size="small" variant="outlined" icon={<PublicIcon />} label={label} />
                      ) : (
                        <Typography variant="caption" color="text.secondary">
                          Only you
                        </Typography>
                      )}
                    </Box>
                  </Box>
                  <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
                    {view.mine ? (
                      <>
                        <Button
                          size="small"
                          onClick={() => onRename(view)}
                          aria-label={`Rename ${view.name}`}
                        >
                          Rename
                        </Button>
                        <Button
                          size="small"
                          color="error"
                          onClick={() => onDelete(view)}
                          aria-label={`Delete ${view.name}`}
                        >
                          Delete
                        </Button>
                      </>
                    ) : null}
                    {canPublish && (view.mine || view.shared) ? (
                      <Button
                        size="small"
                        variant="outlined"
                        loading={sharePending === view.id}
                        onClick={() => onShare(view, !view.shared)}
                        aria-label={`${view.shared ? 'Stop sharing' : 'Share with everyone'}: ${view.name}`}
                      >
                        {view.shared ? 'Stop sharing' : 'Share with everyone'}
                      </Button>
                    ) : null}
                  </Box>
                </ListItem>
              );
            })}
          </List>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} variant="contained">
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
}
