import type { AgentEffect } from './scenario.schema.js';

// A scenario after validation and resolution: clusters expanded, times in epoch ms.

export interface ClusterSpec {
  readonly name: string;
  readonly group: string | null;
  readonly nodes: number;
  readonly apiservers: number;
  readonly seatsPerApiserver: number;
  readonly corednsInstances: number;
  readonly cacheLifetimeSeconds: number;
  readonly cacheHitRatio: number;
  readonly legacyCorednsMetrics: boolean;
}

export interface WaveSpec {
  readonly name: string;
  readonly clusters: readonly string[];
  readonly startMs: number;
  readonly spreadMs: number;
}

export interface RolloutSpec {
  readonly id: string;
  readonly service: string;
  readonly version: string;
  readonly waves: readonly WaveSpec[];
  readonly agent: AgentEffect;
  readonly completedMs: number;
}

export type TargetKind = 'apiserver' | 'coredns' | 'all';

interface IncidentBase {
  readonly clusters: readonly string[];
}
export type Incident = IncidentBase &
  (
    | { readonly kind: 'traffic_ramp'; readonly startMs: number; readonly rampMs: number; readonly factor: number }
    | { readonly kind: 'load_spike'; readonly startMs: number; readonly endMs: number; readonly extraUtilisation: number; readonly noise: number; readonly noiseTimeMs: number }
    | { readonly kind: 'upstream_dns_outage' | 'coredns_failure'; readonly startMs: number; readonly endMs: number; readonly failRatio: number }
    | { readonly kind: 'instance_restart' | 'instance_rename'; readonly target: TargetKind; readonly instance: number; readonly atMs: number }
    | { readonly kind: 'missing_scrapes'; readonly target: TargetKind; readonly startMs: number; readonly endMs: number; readonly mode: 'failed' | 'gap' }
  );

export interface ModelKnobs {
  readonly noise: number;
  readonly diurnalAmplitude: number;
  readonly diurnalPeakHour: number;
  readonly collapseAfterMs: number;
  readonly dnsFailureDelayMs: number;
  readonly missFailureRampMs: number;
  readonly internalDnsShare: number;
  readonly cacheAgingExponent: number;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly intervalMs: number;
  readonly clusters: readonly ClusterSpec[];
  /** the first rollout (`rollouts[0]`), null without any */
  readonly rollout: RolloutSpec | null;
  /** every rollout: `rollout` of the file first, then `rollouts` */
  readonly rollouts: readonly RolloutSpec[];
  readonly incidents: readonly Incident[];
  readonly model: ModelKnobs;
}
