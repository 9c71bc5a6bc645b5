/**
 * Provider connections: added, tested, rotated, disabled and enabled by admins; every change audited in
 * its own transaction. Secrets are sealed before they touch the database and never come back out of
 * this module except into an adapter.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@paydesk/db';
import { connections, ledgerCounters } from '@paydesk/db/schema';
import { providerNames, type ProviderName } from '@paydesk/domain';
import { isProviderError } from '@paydesk/providers';
import type { Deps } from '../../context.ts';
import { AppError, type FieldError } from '../../errors.ts';
import { writeAudit, type Actor } from '../audit.ts';
import { forgetWebhookConnections } from '../ledger/connection-cache.ts';
import { adapterFor, hashWebhookToken, sealedFor, webhookUrl, type ConnectionRow } from './adapters.ts';
import {
  credentialsSchemas,
  lastFour,
  splitCredentials,
  webhookSecretSchema,
  webhookSigning,
} from './credentials.ts';

export const connectionModes = ['test', 'live'] as const;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const baseUrlSchema = z
  .string()
  .trim()
  .refine(isHttpUrl, 'Base URL must be a full http(s) URL such as https://api.provider.com')
  .transform((value) => value.replace(/\/+$/, ''));

const nameSchema = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(80, 'Name is too long (at most 80 characters)');

export const createConnectionSchema = z.object({
  provider: z.enum(providerNames),
  name: nameSchema,
  mode: z.enum(connectionModes),
  baseUrl: baseUrlSchema,
  credentials: z.record(z.string(), z.unknown()),
  webhookSecret: z.string().optional(),
});
export type CreateConnectionInput = z.input<typeof createConnectionSchema>;

export const updateConnectionSchema = z.object({
  id: z.string().uuid(),
  name: nameSchema.optional(),
  baseUrl: baseUrlSchema.optional(),
});

export interface ConnectionView {
  id: string;
  provider: ProviderName;
  name: string;
  mode: 'test' | 'live';
  baseUrl: string;
  settings: Record<string, string | number>;
  credentialHints: Record<string, string>;
  webhookSigning: 'none' | 'optional' | 'required';
  webhookSecretHint: string | null;
  previousWebhookSecretUntil: string | null;
  webhookUrl: string;
  enabled: boolean;
  lastTest: { at: string; ok: boolean; message: string } | null;
  lastSyncAt: string | null;
  counters: Record<string, number>;
  createdAt: string;
  updatedAt: string;
}

export interface ConnectionDeps {
  db: Db;
  secrets: Deps['secrets'];
  publicUrl: string;
  now: Date;
  actor: Actor;
}

function view(
  deps: Pick<ConnectionDeps, 'secrets' | 'publicUrl' | 'now'>,
  row: ConnectionRow,
  counters: Record<string, number> = {},
): ConnectionView {
  const previousValid =
    row.previousWebhookSecretUntil && row.previousWebhookSecretUntil > deps.now
      ? row.previousWebhookSecretUntil
      : null;
  return {
    id: row.id,
    provider: row.provider,
    name: row.name,
    mode: row.mode,
    baseUrl: row.baseUrl,
    settings: row.settings as Record<string, string | number>,
    credentialHints: row.credentialHints as Record<string, string>,
    webhookSigning: webhookSigning[row.provider],
    webhookSecretHint: row.webhookSecretHint,
    previousWebhookSecretUntil: previousValid?.toISOString() ?? null,
    webhookUrl: webhookUrl(deps.publicUrl, deps.secrets, row),
    enabled: row.enabled,
    lastTest:
      row.lastTestAt && row.lastTestOk !== null
        ? { at: row.lastTestAt.toISOString(), ok: row.lastTestOk, message: row.lastTestMessage ?? '' }
        : null,
    lastSyncAt: row.lastSyncAt?.toISOString() ?? null,
    counters,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the audit log keeps of a connection: never a secret, only hints. */
function auditSummary(row: ConnectionRow): Record<string, unknown> {
  return {
    provider: row.provider,
    name: row.name,
    mode: row.mode,
    baseUrl: row.baseUrl,
    settings: row.settings,
    credentialHints: row.credentialHints,
    webhookSecretHint: row.webhookSecretHint,
    enabled: row.enabled,
  };
}

function validation(prefix: string, error: z.ZodError): AppError {
  const fields: FieldError[] = error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
  const first = fields[0];
  return new AppError(
    'validation_failed',
    first ? `${first.path}: ${first.message}` : 'The connection is not valid',
    fields,
  );
}

function parseCredentials(provider: ProviderName, values: Record<string, unknown>) {
  const parsed = credentialsSchemas[provider].safeParse(values);
  if (!parsed.success) throw validation('credentials', parsed.error);
  return splitCredentials(provider, parsed.data);
}

function parseWebhookSecret(provider: ProviderName, value: string | undefined): string | null {
  const signing = webhookSigning[provider];
  const given = value?.trim() ? value.trim() : undefined;
  if (signing === 'none') {
    if (given) {
      throw new AppError(
        'validation_failed',
        'webhookSecret: Gate does not sign its webhooks; leave it empty',
        [{ path: 'webhookSecret', message: 'Gate does not sign its webhooks; leave it empty' }],
      );
    }
    return null;
  }
  if (!given) {
    if (signing === 'required') {
      throw new AppError(
        'validation_failed',
        'webhookSecret: the secret key that signs callbacks is required',
        [{ path: 'webhookSecret', message: 'the secret key that signs callbacks is required' }],
      );
    }
    return null;
  }
  const parsed = webhookSecretSchema.safeParse(given);
  if (!parsed.success) throw validation('webhookSecret', parsed.error);
  return parsed.data;
}

function notFound(): AppError {
  return new AppError('not_found', 'This connection does not exist (it may have been removed)');
}

async function loadForUpdate(tx: Tx, id: string): Promise<ConnectionRow> {
  const [row] = await tx.select().from(connections).where(eq(connections.id, id)).for('update');
  if (!row) throw notFound();
  return row;
}

async function nameTaken(db: Db | Tx, name: string, except?: string): Promise<boolean> {
  const rows = await db
    .select({ id: connections.id })
    .from(connections)
    .where(sql`lower(${connections.name}) = lower(${name})`);
  return rows.some((row) => row.id !== except);
}

function nameConflict(): AppError {
  return new AppError('conflict', 'name: another connection already has this name', [
    { path: 'name', message: 'another connection already has this name' },
  ]);
}

export async function countersByConnection(db: Db): Promise<Map<string, Record<string, number>>> {
  const rows = await db.select().from(ledgerCounters);
  const map = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const counters = map.get(row.connectionId) ?? {};
    counters[row.name] = row.value;
    map.set(row.connectionId, counters);
  }
  return map;
}

export async function listConnections(deps: Omit<ConnectionDeps, 'actor'>): Promise<ConnectionView[]> {
  const rows = await deps.db
    .select()
    .from(connections)
    .orderBy(asc(connections.provider), asc(connections.name));
  const counters = await countersByConnection(deps.db);
  return rows.map((row) => view(deps, row, counters.get(row.id)));
}

export async function getConnection(
  deps: Omit<ConnectionDeps, 'actor'>,
  id: string,
): Promise<ConnectionView> {
  const [row] = await deps.db.select().from(connections).where(eq(connections.id, id));
  if (!row) throw notFound();
  return view(deps, row, (await countersByConnection(deps.db)).get(id));
}

export async function createConnection(deps: ConnectionDeps, input: z.input<typeof createConnectionSchema>) {
  const parsed = createConnectionSchema.safeParse(input);
  if (!parsed.success) throw validation('', parsed.error);
  const { provider, name, mode, baseUrl } = parsed.data;
  const credentials = parseCredentials(provider, parsed.data.credentials);
  const webhookSecret =
    parseWebhookSecret(provider, parsed.data.webhookSecret) ??
    // Payment Book signs webhooks with a token secret: by default the API token's own.
    (provider === 'payment-book' ? (credentials.secrets.tokenSecret ?? null) : null);
  if (await nameTaken(deps.db, name)) throw nameConflict();

  const id = randomUUID();
  const token = randomBytes(24).toString('base64url');
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(connections)
      .values({
        id,
        provider,
        name,
        mode,
        baseUrl,
        settings: credentials.settings,
        credentialsSealed: deps.secrets.seal(JSON.stringify(credentials.secrets), sealedFor.credentials(id)),
        credentialHints: credentials.hints,
        webhookSecretSealed: webhookSecret
          ? deps.secrets.seal(webhookSecret, sealedFor.webhookSecret(id))
          : null,
        webhookSecretHint: webhookSecret ? lastFour(webhookSecret) : null,
        webhookTokenHash: hashWebhookToken(token),
        webhookTokenSealed: deps.secrets.seal(token, sealedFor.webhookToken(id)),
        createdAt: deps.now,
        updatedAt: deps.now,
      })
      .returning();
    await writeAudit(
      tx,
      deps.actor,
      {
        action: 'connection.create',
        result: 'success',
        targetType: 'connection',
        targetId: id,
        after: auditSummary(row!),
      },
      deps.now,
    );
    return view(deps, row!);
  });
}

async function change(
  deps: ConnectionDeps,
  id: string,
  action: string,
  apply: (row: ConnectionRow) => Partial<typeof connections.$inferInsert>,
  reason?: string,
): Promise<ConnectionView> {
  const changed = await deps.db.transaction(async (tx) => {
    const before = await loadForUpdate(tx, id);
    const [after] = await tx
      .update(connections)
      .set({ ...apply(before), updatedAt: deps.now })
      .where(eq(connections.id, id))
      .returning();
    await writeAudit(
      tx,
      deps.actor,
      {
        action,
        result: 'success',
        targetType: 'connection',
        targetId: id,
        before: auditSummary(before),
        after: auditSummary(after!),
        ...(reason ? { reason } : {}),
      },
      deps.now,
    );
    return view(deps, after!);
  });
  // From here on webhooks are judged by the committed row: once disabled, a connection refuses them.
  forgetWebhookConnections(deps.db);
  return changed;
}

export async function updateConnection(deps: ConnectionDeps, input: z.input<typeof updateConnectionSchema>) {
  const parsed = updateConnectionSchema.safeParse(input);
  if (!parsed.success) throw validation('', parsed.error);
  const { id, name, baseUrl } = parsed.data;
  if (name && (await nameTaken(deps.db, name, id))) throw nameConflict();
  return change(deps, id, 'connection.update', (row) => ({
    ...(name ? { name } : {}),
    // Another address is another server: the last test said nothing about it.
    ...(baseUrl && baseUrl !== row.baseUrl
      ? { baseUrl, lastTestAt: null, lastTestOk: null, lastTestMessage: null }
      : {}),
  }));
}

/** Replaces the credentials as a whole: the old secrets are gone once this commits. */
export async function rotateCredentials(deps: ConnectionDeps, id: string, values: Record<string, unknown>) {
  return change(deps, id, 'connection.credentials.rotate', (row) => {
    const credentials = parseCredentials(row.provider, values);
    return {
      settings: credentials.settings,
      credentialsSealed: deps.secrets.seal(JSON.stringify(credentials.secrets), sealedFor.credentials(id)),
      credentialHints: credentials.hints,
      lastTestAt: null,
      lastTestOk: null,
      lastTestMessage: null,
    };
  });
}

export const maxOverlapHours = 168;

/**
 * A new webhook secret; the one it replaces still verifies for `overlapHours`, so deliveries signed
 * before the provider switched are not refused.
 */
export async function rotateWebhookSecret(
  deps: ConnectionDeps,
  id: string,
  input: { secret: string; overlapHours: number },
) {
  const overlapMs = Math.round(input.overlapHours * 3_600_000);
  return change(
    deps,
    id,
    'connection.webhookSecret.rotate',
    (row) => {
      if (webhookSigning[row.provider] === 'none') {
        throw new AppError(
          'validation_failed',
          'Gate does not sign its webhooks: there is no secret to rotate',
        );
      }
      const secret = parseWebhookSecret(row.provider, input.secret);
      if (!secret) {
        throw new AppError('validation_failed', 'secret: the new webhook secret is required', [
          { path: 'secret', message: 'the new webhook secret is required' },
        ]);
      }
      return {
        webhookSecretSealed: deps.secrets.seal(secret, sealedFor.webhookSecret(id)),
        webhookSecretHint: lastFour(secret),
        previousWebhookSecretSealed: overlapMs > 0 ? row.webhookSecretSealed : null,
        previousWebhookSecretUntil:
          overlapMs > 0 && row.webhookSecretSealed ? new Date(deps.now.getTime() + overlapMs) : null,
      };
    },
    `previous secret accepted for ${input.overlapHours} h`,
  );
}

export async function setConnectionEnabled(
  deps: ConnectionDeps,
  id: string,
  enabled: boolean,
  reason?: string,
) {
  return change(deps, id, enabled ? 'connection.enable' : 'connection.disable', () => ({ enabled }), reason);
}

/** What a failed credentials test tells the admin: the kind of failure, never the provider's body. */
export function describeProviderFailure(error: unknown): string {
  if (!isProviderError(error)) return 'The test could not be run (internal error); see the server log.';
  const status = error.httpStatus ? ` (HTTP ${error.httpStatus})` : '';
  switch (error.kind) {
    case 'auth':
      return `The provider refused these credentials${status}.`;
    case 'network':
      return 'The provider could not be reached at this base URL (connection refused or DNS failure).';
    case 'timeout':
      return 'The provider did not answer in time.';
    case 'rate_limited':
      return `The provider is rate limiting requests${status}; try again in a moment.`;
    case 'unavailable':
      return `The provider is unavailable${status}; try again later.`;
    case 'schema':
      return 'The provider answered with something that is not its API: check the base URL.';
    default:
      return `${error.message}${status}`;
  }
}

/** Calls the provider with the stored credentials and records the result on the connection. */
export async function testConnection(deps: ConnectionDeps, id: string) {
  const [row] = await deps.db.select().from(connections).where(eq(connections.id, id));
  if (!row) throw notFound();
  let ok = true;
  let message = 'The provider accepted the credentials.';
  try {
    await adapterFor(deps.secrets, row, { retries: 0, timeoutMs: 10_000 }).testCredentials();
  } catch (error) {
    ok = false;
    message = describeProviderFailure(error);
  }
  const after = await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(connections)
      .set({ lastTestAt: deps.now, lastTestOk: ok, lastTestMessage: message })
      .where(eq(connections.id, id))
      .returning();
    if (!updated) throw notFound();
    await writeAudit(
      tx,
      deps.actor,
      {
        action: 'connection.test',
        result: ok ? 'success' : 'failure',
        targetType: 'connection',
        targetId: id,
        reason: message,
      },
      deps.now,
    );
    return updated;
  });
  return view(deps, after, (await countersByConnection(deps.db)).get(id));
}
