import pino from 'pino';
import type { Env } from './env.ts';

/** Paths pino blanks out wherever they appear in a log line: credentials never reach the logs. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-request-token-name"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.secret',
  '*.apiKey',
  '*.credentials',
  '*.webhookSecret',
  '*.tokenSecret',
];

/** The inbound webhook URL's token is a credential: request lines show `/hooks/[token]`. */
export function withoutWebhookToken(url: string): string {
  return url.replace(/\/hooks\/[^/?#]+/g, '/hooks/[token]');
}

export function createLogger(
  env: Pick<Env, 'LOG_LEVEL' | 'LOG_PRETTY'>,
  destination?: pino.DestinationStream,
) {
  const options: pino.LoggerOptions = {
    level: env.LOG_LEVEL,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      req: (request: { method?: string; url?: string; id?: string; ip?: string }) => ({
        id: request.id,
        method: request.method,
        url: withoutWebhookToken(request.url ?? ''),
        remoteAddress: request.ip,
      }),
    },
    ...(env.LOG_PRETTY && !destination
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
