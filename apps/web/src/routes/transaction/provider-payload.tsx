import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { VisuallyHidden } from '../../components/visually-hidden.tsx';
import { Section } from './parts.tsx';
import { isEmptyPayload } from './payload.ts';
import { PayloadViewer } from './payload-viewer.tsx';

function PayloadAccordion({
  title,
  summary,
  value,
  emptyText,
}: {
  title: string;
  summary: string;
  value: unknown;
  emptyText: string;
}) {
  const id = useId();
  return (
    <Accordion disableGutters variant="outlined" sx={{ '&:before': { display: 'none' } }}>
      <AccordionSummary expandIcon={<ExpandMoreIcon />} aria-controls={`${id}-content`} id={`${id}-header`}>
        <Typography component="span" sx={{ fontWeight: 600, mr: 2 }}>
          {title}
        </Typography>
        <VisuallyHidden>: </VisuallyHidden>
        <Typography component="span" variant="body2" color="text.secondary" sx={{ alignSelf: 'center' }}>
          {isEmptyPayload(value) ? emptyText : summary}
        </Typography>
      </AccordionSummary>
      <AccordionDetails>
        <PayloadViewer
          title={`${title}, as stored`}
          copyLabel={`Copy the ${title.toLowerCase()}`}
          value={value}
          emptyText={emptyText}
          headingLevel="h4"
          maxHeight={560}
        />
      </AccordionDetails>
    </Accordion>
  );
}

export function ProviderPayload({
  raw,
  metadata,
  providerName,
}: {
  raw: unknown;
  metadata: unknown;
  providerName: string;
}) {
  return (
    <Section
      title="Provider payload"
      description={`The object as ${providerName} last returned it, and the merchant’s metadata. Secrets, signatures and card numbers are redacted before they leave Paydesk’s server.`}
    >
      <PayloadAccordion
        title="Raw payload"
        summary={`The last ${providerName} object Paydesk stored`}
        value={raw}
        emptyText="No payload was stored."
      />
      <PayloadAccordion
        title="Metadata"
        summary="Key–value pairs the shop attached"
        value={metadata}
        emptyText="The shop attached no metadata."
      />
    </Section>
  );
}
