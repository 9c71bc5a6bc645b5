import WebhookIcon from '@mui/icons-material/Webhook';
import { ComingSoon } from '../../components/coming-soon.tsx';

export function Component() {
  return (
    <ComingSoon
      title="Webhooks"
      description="What each provider has told Paydesk, and whether it was applied."
      icon={<WebhookIcon />}
    >
      Every connection gets its own inbound webhook address. Deliveries, their signature checks and their
      processing will be listed here once a connection exists.
    </ComingSoon>
  );
}
