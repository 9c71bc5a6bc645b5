import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import { ComingSoon } from '../../components/coming-soon.tsx';

export function Component() {
  return (
    <ComingSoon
      title="Transactions"
      description="Every payment from every connected provider account, in one list."
      icon={<ReceiptLongIcon />}
    >
      Find a payment by any id, e-mail or card’s last four digits, open its operations and provider exchanges,
      and refund it. This arrives once provider connections are in place; until then there are no transactions
      to show.
    </ComingSoon>
  );
}
