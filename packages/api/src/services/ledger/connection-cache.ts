/**
 * The connections `POST /hooks/:token` looks up, kept in memory for a second: a burst of deliveries
 * costs one SELECT (and one opening of the sealed webhook secrets) per connection per second instead
 * of one per delivery. Unknown tokens are not kept: each is answered after a fresh SELECT.
 *
 * Changes made through this process's connection services (enabling, disabling, rotating secrets or
 * credentials, renaming) take effect at once: they call `forgetWebhookConnections` after their
 * transaction commits. A change made by another process is seen here at most `webhookConnectionTtlMs`
 * later: a delivery in that window is judged by the connection as it was. Columns ingestion does not
 * read (last test, sync cursor) may be stale in a cached row.
 *
 * One cache per database handle (tests open several databases in one process). The opened secrets
 * stay in this module's memory: never log an entry or put one in an error.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '@paydesk/db';
import { connections } from '@paydesk/db/schema';
import type { SecretBox } from '../../secret-box.ts';
import {
  hashWebhookToken,
  openWebhookSecrets,
  type ConnectionRow,
  type OpenedWebhookSecrets,
} from '../connections/adapters.ts';

export const webhookConnectionTtlMs = 1_000;

export interface WebhookConnection {
  row: ConnectionRow;
  /** Which of them verify depends on the time of each delivery: see `webhookSecrets`. */
  secrets: OpenedWebhookSecrets;
}

type Found = WebhookConnection | undefined;

class ConnectionCache {
  private readonly entries = new Map<string, { connection: WebhookConnection; expiresAt: number }>();
  /** Concurrent misses for one token share a SELECT. */
  private readonly loading = new Map<string, Promise<Found>>();
  /** Moved by every `forget`: a SELECT that started before it does not store what it read. */
  private generation = 0;

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {}

  get(token: string): Promise<Found> {
    const tokenHash = hashWebhookToken(token);
    const entry = this.entries.get(tokenHash);
    if (entry && entry.expiresAt > performance.now()) return Promise.resolve(entry.connection);
    let load = this.loading.get(tokenHash);
    if (!load) {
      load = this.load(tokenHash).finally(() => {
        if (this.loading.get(tokenHash) === load) this.loading.delete(tokenHash);
      });
      this.loading.set(tokenHash, load);
    }
    return load;
  }

  forget(): void {
    this.generation += 1;
    this.entries.clear();
    this.loading.clear();
  }

  private async load(tokenHash: string): Promise<Found> {
    const generation = this.generation;
    const [row] = await this.db.select().from(connections).where(eq(connections.webhookTokenHash, tokenHash));
    if (!row) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    const connection = { row, secrets: openWebhookSecrets(this.secrets, row) };
    if (generation === this.generation) {
      this.entries.set(tokenHash, { connection, expiresAt: performance.now() + webhookConnectionTtlMs });
    }
    return connection;
  }
}

const caches = new WeakMap<Db, ConnectionCache>();

/** The connection a webhook token belongs to, from the cache when it was read less than a second ago. */
export function webhookConnection(db: Db, secrets: SecretBox, token: string): Promise<Found> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new ConnectionCache(db, secrets);
    caches.set(db, cache);
  }
  return cache.get(token);
}

/** Call after a change to a connection commits: the next delivery reads it again. */
export function forgetWebhookConnections(db: Db): void {
  caches.get(db)?.forget();
}
