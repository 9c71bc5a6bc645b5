import Chip from '@mui/material/Chip';
import { deliveryStateLook, verificationLook, type Tone } from './timeline-model.ts';
import type { Delivery } from './types.ts';

const chipColor: Readonly<Record<Tone, 'default' | 'primary' | 'success' | 'warning' | 'error'>> = {
  neutral: 'default',
  primary: 'primary',
  success: 'success',
  warning: 'warning',
  error: 'error',
};

export function ToneChip({ label, tone }: { label: string; tone: Tone }) {
  return <Chip size="small" variant="outlined" label={label} color={chipColor[tone]} />;
}

export function DeliveryStateChip({ state }: { state: string }) {
  const look = deliveryStateLook(state);
  return <ToneChip label={look.label} tone={look.tone} />;
}

export function VerificationChip({ delivery, provider }: { delivery: Delivery; provider: string }) {
  const look = verificationLook(delivery, provider);
  return <ToneChip label={look.label} tone={look.tone} />;
}
