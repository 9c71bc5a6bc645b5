import { and, count, desc, eq, gte, ilike, lt, or, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '@paydesk/db';
import { auditLog } from '@paydesk/db/schema';
import type { AuthState, RequestInfo } from '../context.ts';

export interface Actor {
  userId: string | null;
  email: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const systemActor: Actor = {
  userId: null,
  email: 'system',
  ip: null,
  userAgent: null,
  requestId: null,
};

export function actorOf(request: RequestInfo, auth: Pick<AuthState, 'user'> | null): Actor {
  return {
    userId: auth?.user.id ?? null,
    email: auth?.user.email ?? null,
    ip: request.ip,
    userAgent: request.userAgent,
    requestId: request.requestId,
  };
}

export interface AuditEntry {
  action: string;
  result: 'success' | 'denied' | 'failure';
  targetType?: string;
  targetId?: string;
  reason?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

const secretLike = /password|secret|token|totp|recovery|hash|cookie|authorization|credential/i;

/** Before/after summaries are written by services; this is the last guard against a secret slipping in. */
function summary(value: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (!value) return null;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, secretLike.test(key) ? '[redacted]' : v]),
  );
}

/** Appends one audit row. Pass the transaction that makes the change, so both commit or neither. */
export async function writeAudit(db: Db | Tx, actor: Actor, entry: AuditEntry, at: Date): Promise<void> {
  await db.insert(auditLog).values({
    at,
    actorUserId: actor.userId,
    actorEmail: actor.email,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    reason: entry.reason ?? null,
    before: summary(entry.before),
    after: summary(entry.after),
    result: entry.result,
    ip: actor.ip,
    userAgent: actor.userAgent,
    requestId: actor.requestId,
  });
}

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function where(filter: AuditFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.actor) conditions.push(ilike(auditLog.actorEmail, `%${escapeLike(filter.actor)}%`));
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.from) conditions.push(gte(auditLog.at, filter.from));
  if (filter.to) conditions.push(lt(auditLog.at, filter.to));
  return conditions.length ? and(...conditions) : undefined;
}

export async function listAudit(db: Db, filter: AuditFilter, page: number, pageSize: number) {
  const condition = where(filter);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(auditLog)
      .where(condition)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(pageSize)
      .offset(page * pageSize),
    db.select({ value: count() }).from(auditLog).where(condition),
  ]);
  return { rows, total: total?.value ?? 0 };
}

export async function listAuditActions(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action);
  return rows.map((r) => r.action);
}

/** Every row matching the filter, newest first, read in keyset batches so memory stays flat. */
export async function* streamAudit(db: Db, filter: AuditFilter, batchSize = 1000) {
  let cursor: { at: Date; id: number } | null = null;
  for (;;) {
    const after: SQL | undefined = cursor
      ? or(lt(auditLog.at, cursor.at), and(eq(auditLog.at, cursor.at), lt(auditLog.id, cursor.id)))
      : undefined;
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(where(filter), after))
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(batchSize);
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return;
    cursor = { at: last.at, id: last.id };
  }
}
