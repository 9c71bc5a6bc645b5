import type { RouterOutputs } from '../../lib/trpc.ts';

export type ConnectionRow = RouterOutputs['connection']['list'][number];
export type ProviderForm = RouterOutputs['connection']['forms'][number];
export type CredentialField = ProviderForm['fields'][number];
