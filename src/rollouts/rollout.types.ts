// Deploy events (DESIGN §3) and the rollout state derived from them. Pure types.

export const DEPLOY_EVENT_TYPES = [
  'rollout_started',
  'wave_started',
  'wave_completed',
  'rollout_completed',
  'rollout_aborted',
  'rollout_rolled_back',
  // tools that report one cluster at a time (Argo CD apps, Flagger canaries, Spinnaker stages)
  'cluster_started',
  'cluster_completed',
  'cluster_failed',
] as const;
export type DeployEventType = (typeof DEPLOY_EVENT_TYPES)[number];

export interface WavePlan {
  readonly wave: string;
  readonly clusters: readonly string[];
}

export interface DeployEvent {
  readonly eventId: string;
  readonly type: DeployEventType;
  readonly rolloutId: string;
  readonly service: string | null;
  readonly version: string | null;
  readonly wave: string | null;
  readonly clusters: readonly string[];
  readonly plan: readonly WavePlan[] | null;
  /** event time, ms */
  readonly atMs: number;
  /** order of arrival, for stable sorting of events with the same time */
  readonly seq: number;
}

export type WaveStatus = 'planned' | 'in_progress' | 'completed' | 'aborted';
export type ClusterStatus = 'pending' | 'in_progress' | 'completed' | 'failed';
export type RolloutStatus = 'in_progress' | 'completed' | 'aborted' | 'rolled_back';

export interface WaveState {
  readonly wave: string;
  readonly clusters: readonly string[];
  readonly status: WaveStatus;
  readonly startedAtMs: number | null;
  readonly completedAtMs: number | null;
  /** per cluster of the wave; optional so that hand-built states (analysis fixtures) stay valid */
  readonly clusterStatus?: Readonly<Record<string, ClusterStatus>>;
}

export interface RolloutState {
  readonly rolloutId: string;
  readonly service: string | null;
  readonly version: string | null;
  readonly status: RolloutStatus;
  readonly startedAtMs: number;
  readonly endedAtMs: number | null;
  /** plan order first, then waves started without a plan entry in start order */
  readonly waves: readonly WaveState[];
  readonly plan: readonly WavePlan[] | null;
  readonly updatedAtMs: number;
}
