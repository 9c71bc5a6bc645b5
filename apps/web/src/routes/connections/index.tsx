import CableIcon from '@mui/icons-material/Cable';
import { ComingSoon } from '../../components/coming-soon.tsx';

export function Component() {
  return (
    <ComingSoon
      title="Connections"
      description="Your accounts at Gate, Payment Book and Paytone."
      icon={<CableIcon />}
    >
      Connect a provider account by entering its API credentials. They are stored encrypted, and only their
      last four characters are ever shown again.
    </ComingSoon>
  );
}
