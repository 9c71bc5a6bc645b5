import Chip from '@mui/material/Chip';
import type { ReactNode } from 'react';
import { PageHeader } from './page-header.tsx';
import { EmptyState } from './states.tsx';

/** A screen that a later release fills. It says so plainly and shows no invented data. */
export function ComingSoon({
  title,
  description,
  icon,
  children,
}: {
  title: string;
  description: string;
  icon: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState
        icon={icon}
        title={`${title} is coming soon`}
        action={<Chip label="Not available yet" variant="outlined" />}
      >
        {children}
      </EmptyState>
    </>
  );
}
