/**
 * Saved grid views and each user's remembered grid layout. A view is personal until an admin
 * publishes it; then everyone sees it (read-only unless it is theirs or they may publish).
 */
import { and, asc, eq, or } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@paydesk/db';
import { gridPreferences, savedViews } from '@paydesk/db/schema';
import { can, type Role } from '@paydesk/domain';
import { AppError } from '../errors.ts';
import { writeAudit, type Actor } from './audit.ts';

export const gridNames = ['transactions'] as const;

const density = z.enum(['compact', 'standard', 'comfortable']);
const columnVisibility = z
  .record(z.string().max(40), z.boolean())
  .refine((value) => Object.keys(value).length <= 60, 'at most 60 columns');

export const viewStateSchema = z.object({
  /** The grid's URL query (filters and sort), as the browser keeps it. */
  search: z.string().max(4_000, 'the filters are at most 4,000 characters'),
  columns: columnVisibility.optional(),
  density: density.optional(),
});

export const gridLayoutSchema = z.object({ columns: columnVisibility, density });

export interface ViewsDeps {
  db: Db;
  now: Date;
  actor: Actor;
  user: { id: string; role: Role };
}

export const viewNameSchema = z
  .string()
  .trim()
  .min(1, 'give the view a name')
  .max(80, 'a name is at most 80 characters');

function duplicateName(error: unknown): boolean {
  const code =
    (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  return code === '23505';
}

export async function listViews(db: Db, userId: string, grid: string) {
  const rows = await db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.grid, grid), or(eq(savedViews.ownerId, userId), eq(savedViews.shared, true))))
    .orderBy(asc(savedViews.name));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    shared: row.shared,
    mine: row.ownerId === userId,
    state: viewStateSchema.parse(row.state),
    updatedAt: row.updatedAt.toISOString(),
  }));
}

async function ownedOrPublishable(deps: ViewsDeps, id: string) {
  const [row] = await deps.db.select().from(savedViews).where(eq(savedViews.id, id));
  if (!row || (!row.shared && row.ownerId !== deps.user.id))
    throw new AppError('not_found', 'There is no saved view with this id.');
  if (row.ownerId !== deps.user.id && !can(deps.user.role, 'savedView.publish')) {
    await writeAudit(
      deps.db,
      deps.actor,
      {
        action: 'view.change',
        result: 'denied',
        targetType: 'saved_view',
        targetId: id,
        reason: 'not the owner',
      },
      deps.now,
    );
    throw new AppError(
      'forbidden',
      'This shared view belongs to someone else: save a copy of your own instead.',
    );
  }
  return row;
}

export async function createView(
  deps: ViewsDeps,
  input: { grid: string; name: string; state: z.infer<typeof viewStateSchema> },
) {
  try {
    return await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(savedViews)
        .values({
          ownerId: deps.user.id,
          grid: input.grid,
          name: input.name,
          state: input.state,
          createdAt: deps.now,
          updatedAt: deps.now,
        })
        .returning();
      await writeAudit(
        tx,
        deps.actor,
        {
          action: 'view.create',
          result: 'success',
          targetType: 'saved_view',
          targetId: row!.id,
          after: { name: input.name, grid: input.grid },
        },
        deps.now,
      );
      return { id: row!.id };
    });
  } catch (error) {
    if (duplicateName(error))
      throw new AppError('conflict', `You already have a view named “${input.name}”: choose another name.`, [
        { path: 'name', message: 'already used by another of your views' },
      ]);
    throw error;
  }
}

export async function updateView(
  deps: ViewsDeps,
  input: { id: string; name?: string | undefined; state?: z.infer<typeof viewStateSchema> | undefined },
) {
  const row = await ownedOrPublishable(deps, input.id);
  try {
    await deps.db.transaction(async (tx) => {
      await tx
        .update(savedViews)
        .set({
          ...(input.name ? { name: input.name } : {}),
          ...(input.state ? { state: input.state } : {}),
          updatedAt: deps.now,
        })
        .where(eq(savedViews.id, row.id));
      await writeAudit(
        tx,
        deps.actor,
        {
          action: 'view.update',
          result: 'success',
          targetType: 'saved_view',
          targetId: row.id,
          before: { name: row.name },
          after: { name: input.name ?? row.name, stateChanged: Boolean(input.state) },
        },
        deps.now,
      );
    });
  } catch (error) {
    if (duplicateName(error))
      throw new AppError('conflict', `You already have a view named “${input.name}”: choose another name.`, [
        { path: 'name', message: 'already used by another of your views' },
      ]);
    throw error;
  }
}

export async function deleteView(deps: ViewsDeps, id: string) {
  const row = await ownedOrPublishable(deps, id);
  await deps.db.transaction(async (tx) => {
    await tx.delete(savedViews).where(eq(savedViews.id, row.id));
    await writeAudit(
      tx,
      deps.actor,
      {
        action: 'view.delete',
        result: 'success',
        targetType: 'saved_view',
        targetId: row.id,
        before: { name: row.name, shared: row.shared },
      },
      deps.now,
    );
  });
}

/** Publishing needs `savedView.publish` (checked by the procedure); any view the admin can see. */
export async function setViewShared(deps: ViewsDeps, id: string, shared: boolean) {
  const [row] = await deps.db.select().from(savedViews).where(eq(savedViews.id, id));
  if (!row || (!row.shared && row.ownerId !== deps.user.id))
    throw new AppError('not_found', 'There is no saved view with this id.');
  await deps.db.transaction(async (tx) => {
    await tx.update(savedViews).set({ shared, updatedAt: deps.now }).where(eq(savedViews.id, id));
    await writeAudit(
      tx,
      deps.actor,
      {
        action: shared ? 'view.publish' : 'view.unpublish',
        result: 'success',
        targetType: 'saved_view',
        targetId: id,
        before: { shared: row.shared },
        after: { shared },
      },
      deps.now,
    );
  });
}

export async function getGridLayout(db: Db, userId: string, grid: string) {
  const [row] = await db
    .select()
    .from(gridPreferences)
    .where(and(eq(gridPreferences.userId, userId), eq(gridPreferences.grid, grid)));
  if (!row) return null;
  const parsed = gridLayoutSchema.safeParse(row.layout);
  return parsed.success ? parsed.data : null;
}

export async function saveGridLayout(
  deps: ViewsDeps,
  grid: string,
  layout: z.infer<typeof gridLayoutSchema>,
) {
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(gridPreferences)
      .values({ userId: deps.user.id, grid, layout, updatedAt: deps.now })
      .onConflictDoUpdate({
        target: [gridPreferences.userId, gridPreferences.grid],
        set: { layout, updatedAt: deps.now },
      });
    await writeAudit(
      tx,
      deps.actor,
      { action: 'grid.layout', result: 'success', targetType: 'grid', targetId: grid, after: layout },
      deps.now,
    );
  });
}
