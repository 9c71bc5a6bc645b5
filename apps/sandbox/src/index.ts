/**
 * The Paydesk sandbox as a library: `createSandbox()` starts the three provider simulators, each on
 * its own port, plus the control API, and hands back their URLs and the levers tests pull.
 */
import type { ProviderModule } from './core/contract.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from './core/sandbox.ts';
import { gateModule } from './gate/index.ts';
import { paymentBookModule } from './payment-book/index.ts';
import { paytoneModule } from './paytone/index.ts';

export type * from './core/contract.ts';
export type { FaultKind, FaultRule, FaultRuleInput } from './core/faults.ts';
export type { DeliveryAttempt, DeliveryRecord, Mischief, MischiefKind } from './core/webhooks.ts';
export type {
  GenerateOptions,
  GenerateResult,
  PlannedTransaction,
  TrickleOptions,
} from './generator/index.ts';
export type { Sandbox, SandboxOptions } from './core/sandbox.ts';
export { DEFAULT_CREDENTIALS, DEFAULT_LIFECYCLE } from './core/sandbox.ts';
export { toJson } from './core/control-api.ts';
export { connectionForm } from './core/connection-form.ts';
export { createRandom, type Random, type Seed } from './core/random.ts';
export { TrafficGenerator, planTraffic } from './generator/index.ts';
export { gateModule } from './gate/index.ts';
export { paymentBookModule } from './payment-book/index.ts';
export { paytoneModule } from './paytone/index.ts';

export const DEFAULT_MODULES: readonly ProviderModule[] = [gateModule, paymentBookModule, paytoneModule];

export function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ ...options, modules: options.modules ?? DEFAULT_MODULES });
}
