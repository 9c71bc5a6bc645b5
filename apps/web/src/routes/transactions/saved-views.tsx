import BookmarkAddIcon from '@mui/icons-material/BookmarkAdd';
import BookmarksIcon from '@mui/icons-material/Bookmarks';
import CheckIcon from '@mui/icons-material/Check';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import PublicIcon from '@mui/icons-material/Public';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useCan } from '../../app/session.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { toast } from '../../lib/toasts.ts';
import { trpc } from '../../lib/trpc.ts';
import { ManageViewsDialog } from './manage-views-dialog.tsx';
import { canonicalSearch } from './url-state.ts';
import { ViewNameDialog } from './view-name-dialog.tsx';
import { sharedLabel, type SavedView, type ViewState } from './view-state.ts';

const grid = 'transactions';

type Dialog =
  | { type: 'save' }
  | { type: 'manage' }
  | { type: 'rename'; view: SavedView }
  | { type: 'delete'; view: SavedView };

/** The saved views menu and "Save view…", with the dialogs they open. */
export function SavedViews({
  current,
  onApply,
}: {
  current: ViewState;
  onApply: (state: ViewState) => void;
}) {
  const canPublish = useCan('savedView.publish');
  const queryClient = useQueryClient();
  const views = useQuery(trpc.view.list.queryOptions({ grid }));
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const buttonId = useId();
  const menuId = useId();

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.view.list.queryKey() });
  const create = useMutation(
    trpc.view.create.mutationOptions({
      meta: { inlineErrors: true },
      onSuccess: async (_result, input) => {
        await refresh();
        setDialog(null);
        toast('success', `Saved the view “${input.name}”.`);
      },
    }),
  );
  const rename = useMutation(
    trpc.view.update.mutationOptions({
      meta: { inlineErrors: true },
      onSuccess: async () => {
        await refresh();
        setDialog({ type: 'manage' });
      },
    }),
  );
  const remove = useMutation(
    trpc.view.remove.mutationOptions({
      meta: { inlineErrors: true },
      onSuccess: async () => {
        await refresh();
        setDialog({ type: 'manage' });
      },
    }),
  );
  const share = useMutation(
    trpc.view.setShared.mutationOptions({
      onSuccess: async (_result, input) => {
        await refresh();
        toast('success', input.shared ? 'Everyone can now use this view.' : 'The view is yours alone again.');
      },
    }),
  );

  const list = views.data ?? [];
  const currentSearch = canonicalSearch(current.search);
  const active = list.find((view) => canonicalSearch(view.state.search) === currentSearch);
  const close = () => setAnchor(null);
  const open = (next: Dialog) => {
    close();
    create.reset();
    rename.reset();
    remove.reset();
    setDialog(next);
  };

  return (
    <>
      <Button
        id={buttonId}
        variant="outlined"
        startIcon={<BookmarksIcon />}
        endIcon={<ExpandMoreIcon />}
        aria-haspopup="menu"
        aria-expanded={anchor !== null}
        aria-controls={anchor ? menuId : undefined}
        onClick={(event) => setAnchor(event.currentTarget)}
        sx={{ maxWidth: 360 }}
      >
        <Box component="span" sx={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          Saved views
          {active ? (
            <Box component="span" sx={{ fontWeight: 400 }}>
              {` · ${active.name}`}
            </Box>
          ) : null}
        </Box>
      </Button>
      <Button variant="contained" startIcon={<BookmarkAddIcon />} onClick={() => open({ type: 'save' })}>
        Save view…
      </Button>
      <Menu
        id={menuId}
        anchorEl={anchor}
        open={anchor !== null}
        onClose={close}
        slotProps={{ list: { 'aria-labelledby': buttonId, dense: true }, paper: { sx: { minWidth: 280 } } }}
      >
        {views.isPending ? <MenuItem disabled>Loading saved views…</MenuItem> : null}
        {views.isError ? <MenuItem disabled>The saved views could not be loaded.</MenuItem> : null}
        {views.isSuccess && list.length === 0 ? <MenuItem disabled>No saved views yet</MenuItem> : null}
        {list.map((view) => (
          <MenuItem
            key={view.id}
            selected={view.id === active?.id}
            onClick={() => {
              close();
              onApply(view.state);
            }}
          >
            <ListItemIcon>{view.id === active?.id ? <CheckIcon fontSize="small" /> : null}</ListItemIcon>
            <ListItemText primary={view.name} secondary={sharedLabel(view)} />
            {view.shared ? <PublicIcon fontSize="small" color="action" sx={{ ml: 1 }} aria-hidden /> : null}
          </MenuItem>
        ))}
        <Divider />
        <MenuItem onClick={() => open({ type: 'save' })}>Save the current view…</MenuItem>
        {list.length > 0 ? (
          <MenuItem onClick={() => open({ type: 'manage' })}>Manage saved views…</MenuItem>
        ) : null}
      </Menu>

      {dialog?.type === 'save' ? (
        <ViewNameDialog
          title="Save this view"
          description="Saves the search, filters, sort, columns and density, so you can come back to them from Saved views."
          confirmLabel="Save view"
          pending={create.isPending}
          error={create.error}
          onSubmit={(name) => create.mutate({ grid, name, state: current })}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.type === 'rename' ? (
        <ViewNameDialog
          title={`Rename “${dialog.view.name}”`}
          initialName={dialog.view.name}
          confirmLabel="Rename"
          pending={rename.isPending}
          error={rename.error}
          onSubmit={(name) => rename.mutate({ id: dialog.view.id, name })}
          onClose={() => setDialog({ type: 'manage' })}
        />
      ) : null}
      <ManageViewsDialog
        open={dialog?.type === 'manage'}
        views={list}
        canPublish={canPublish}
        sharePending={share.isPending ? (share.variables?.id ?? null) : null}
        onRename={(view) => open({ type: 'rename', view })}
        onDelete={(view) => open({ type: 'delete', view })}
        onShare={(view, shared) => share.mutate({ id: view.id, shared })}
        onClose={() => setDialog(null)}
      />
      <ConfirmDialog
        open={dialog?.type === 'delete'}
        title={dialog?.type === 'delete' ? `Delete “${dialog.view.name}”?` : 'Delete the view?'}
        confirmLabel="Delete view"
        destructive
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => {
          if (dialog?.type === 'delete') remove.mutate({ id: dialog.view.id });
        }}
        onClose={() => setDialog({ type: 'manage' })}
      >
        {dialog?.type === 'delete' && dialog.view.shared
          ? 'It is shared: it disappears for everyone. The transactions themselves are not affected.'
          : 'Only the saved view goes; the transactions themselves are not affected.'}
      </ConfirmDialog>
    </>
  );
}
