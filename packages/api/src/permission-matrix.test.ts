import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, permissions, roles, type Permission, type Role } from '@paydesk/domain';
import { testDatabases } from '@paydesk/db/testing';
import { appRouter } from './root.ts';
import { createHarness, type Browser, type Harness } from './test/harness.ts';
import type { ProcedureMeta } from './trpc.ts';

type AnyProcedure = { _def: { meta?: ProcedureMeta; type: 'query' | 'mutation' | 'subscription' } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>);

/**
 * Every procedure × every role: allowed or FORBIDDEN exactly as packages/domain's table says. A
 * procedure that declares no access fails here, so nothing can be added unguarded.
 */
describe.each(testDatabases())('permission matrix on %s', (kind) => {
  let h: Harness;
  const browsers = new Map<Role, Browser>();
  beforeAll(async () => {
    h = await createHarness(kind);
    for (const role of roles) browsers.set(role, (await h.signedInUser(role)).browser);
  });
  afterAll(() => h.close());

  it('covers the whole router', () => {
    expect(procedures.length).toBeGreaterThan(15);
  });

  it.each(procedures)('%s declares who may call it', (_path, procedure) => {
    const access = procedure._def.meta?.access;
    expect(
      access,
      'use publicProcedure, signInStepProcedure, authedProcedure or permissionProcedure',
    ).toBeDefined();
    const known = ['public', 'sign-in', 'authenticated', ...permissions];
    expect(known).toContain(access);
  });

  const guarded = procedures.filter(([, p]) => {
    const access = p._def.meta?.access;
    return access !== undefined && access !== 'public' && access !== 'sign-in';
  });

  describe.each(roles)('as %s', (role) => {
    it.each(guarded)('%s', async (path, procedure) => {
      const access = procedure._def.meta!.access!;
      const allowed = access === 'authenticated' || can(role, access as Permission);
      const caller = (await browsers.get(role)!.api()) as unknown as Record<string, unknown>;
      const fn = path
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
        input: unknown,
      ) => Promise<unknown>;
      // An input no procedure accepts: an allowed call stops at validation, a refused one before it.
      const outcome = await fn({ '!': 'matrix probe' }).then(
        () => 'ok',
        (error: { code?: string }) => error.code ?? 'unknown',
      );
      if (allowed) expect(['ok', 'BAD_REQUEST', 'NOT_FOUND']).toContain(outcome);
      else expect(outcome).toBe('FORBIDDEN');
    });
  });
});
