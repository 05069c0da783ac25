import type { Scenario } from './scenario.types.js';
import type { AnchorAlert } from './score.js';

export interface MixinResult {
  readonly alerts: AnchorAlert[] | null;
  readonly note: string | null;
}

export async function mixinAnchors(_scenario: Scenario): Promise<MixinResult> {
  return Promise.resolve({ alerts: null, note: 'not evaluated' });
}
