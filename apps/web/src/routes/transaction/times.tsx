import Typography from '@mui/material/Typography';
import { isFinalTransactionStatus, transactionStatuses, type TransactionStatus } from '@paydesk/domain';
import { Detail, DetailList, Instant, Section } from './parts.tsx';
import { localTimeZone } from './time.ts';
import type { TransactionView } from './types.ts';

const isFinal = (status: string) =>
  (transactionStatuses as readonly string[]).includes(status) &&
  isFinalTransactionStatus(status as TransactionStatus);

export function Times({ transaction: t }: { transaction: TransactionView }) {
  return (
    <Section title="Times" description={`In your time zone, ${localTimeZone()}.`}>
      <DetailList stacked>
        <Detail term="Occurred">
          <Instant iso={t.occurredAt} />
        </Detail>
        <Detail term="Provider created">
          <Instant iso={t.providerCreatedAt} />
        </Detail>
        <Detail term="Provider updated">
          <Instant iso={t.providerUpdatedAt} />
        </Detail>
        <Detail term="First seen">
          <Instant iso={t.createdAt} />
        </Detail>
        <Detail term="Last updated">
          <Instant iso={t.updatedAt} />
        </Detail>
        {t.nextCheckAt && !isFinal(t.status) ? (
          <Detail term="Next check">
            <Instant iso={t.nextCheckAt} />
            <Typography component="span" variant="caption" color="text.secondary" sx={{ display: 'block' }}>
              Reconciliation looks it up again at the provider while it is not final.
            </Typography>
          </Detail>
        ) : null}
      </DetailList>
    </Section>
  );
}
