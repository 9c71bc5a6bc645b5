import DescriptionIcon from '@mui/icons-material/Description';
import { ComingSoon } from '../../components/coming-soon.tsx';

export function Component() {
  return (
    <ComingSoon
      title="Reports"
      description="Exports of transactions and settlements for finance."
      icon={<DescriptionIcon />}
    >
      You will be able to export transactions, refunds and payouts for any period as CSV. Exports need
      transactions in the ledger, which arrive with provider connections.
    </ComingSoon>
  );
}
