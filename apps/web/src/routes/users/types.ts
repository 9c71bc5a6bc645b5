import type { RouterOutputs } from '../../lib/trpc.ts';

export type UserRow = RouterOutputs['user']['list'][number];
