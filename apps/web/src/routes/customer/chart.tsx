import Box from '@mui/material/Box';
import { useTheme } from '@mui/material/styles';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartRows, type ProviderRow } from './totals.ts';

/**
 * Transactions per provider (and currency), succeeded and not. A picture of the table beside it: the
 * table is what screen readers read, so the chart is hidden from them.
 */
export function ProviderChart({ rows }: { rows: readonly ProviderRow[] }) {
  const theme = useTheme();
  const data = chartRows(rows);
  return (
    <Box aria-hidden sx={{ width: '100%', height: 260 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid vertical={false} stroke={theme.palette.divider} />
          <XAxis
            dataKey="label"
            tickLine={false}
            axisLine={{ stroke: theme.palette.divider }}
            fontSize={13}
          />
          <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={12} />
          <Tooltip cursor={{ fill: theme.palette.action.hover }} />
          <Legend
            iconType="circle"
            wrapperStyle={{ fontSize: 13 }}
            formatter={(value: string) => <span style={{ color: theme.palette.text.primary }}>{value}</span>}
          />
          <Bar
            dataKey="succeeded"
            name="Succeeded"
            stackId="count"
            fill={theme.palette.success.main}
            maxBarSize={56}
          />
          <Bar
            dataKey="other"
            name="Other outcomes"
            stackId="count"
            fill={theme.palette.grey[400]}
            radius={[4, 4, 0, 0]}
            maxBarSize={56}
          />
        </BarChart>
      </ResponsiveContainer>
    </Box>
  );
}
