import AnalyticsIcon from '@mui/icons-material/Analytics';
import { ComingSoon } from '../../components/coming-soon.tsx';

export function Component() {
  return (
    <ComingSoon
      title="Analytics"
      description="Volumes, approval rates and refunds over time, per provider and currency."
      icon={<AnalyticsIcon />}
    >
      Charts built from daily totals of the ledger will appear here once transactions are flowing in from your
      provider connections.
    </ComingSoon>
  );
}
