import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import { badRequest } from '../common/domain-error.js';
import { TransactionRunner } from '../storage/transaction-runner.js';
import { DeployEventRepository } from './deploy-event.repository.js';
import type { ParsedDeployEvent } from './parse-deploy-events.js';
import { deriveRolloutState } from './rollout-state.js';
import type { DeployEvent, RolloutState } from './rollout.types.js';
import { RolloutsMetrics } from './rollouts.metrics.js';

export interface RecordResult {
  accepted: number;
  duplicates: number;
  /** rollouts the request touched, in request order */
  rollouts: string[];
}

export interface RolloutChange {
  readonly rollout: RolloutState;
  /** the events of this change that were new (duplicates are not repeated here) */
  readonly events: readonly DeployEvent[];
}

interface CachedRollout {
  events: DeployEvent[];
  state: RolloutState;
}

// Rollout state for the rest of the service: loaded from the event log at start, kept
// current on every write of this instance, and announced on `changes` for the analysis.
@Injectable()
export class RolloutsService implements OnModuleInit, OnApplicationShutdown {
  private readonly cache = new Map<string, CachedRollout>();
  private readonly changeSubject = new Subject<RolloutChange>();
  readonly changes: Observable<RolloutChange> = this.changeSubject.asObservable();

  constructor(
    private readonly repository: DeployEventRepository,
    private readonly transactions: TransactionRunner,
    private readonly metrics: RolloutsMetrics,
  ) {
    metrics.countActiveWith(() => this.activeRollouts().length);
  }

  async onModuleInit(): Promise<void> {
    const byRollout = new Map<string, DeployEvent[]>();
    for (const e of await this.repository.loadAll()) {
      const list = byRollout.get(e.rolloutId);
      if (list) list.push(e);
      else byRollout.set(e.rolloutId, [e]);
    }
    for (const [id, events] of byRollout) this.cache.set(id, { events, state: deriveRolloutState(events) });
  }

  onApplicationShutdown(): void {
    this.changeSubject.complete();
  }

  get(rolloutId: string): RolloutState | undefined {
    return this.cache.get(rolloutId)?.state;
  }

  all(): RolloutState[] {
    return [...this.cache.values()].map((c) => c.state).sort((a, b) => b.startedAtMs - a.startedAtMs || a.rolloutId.localeCompare(b.rolloutId));
  }

  activeRollouts(): RolloutState[] {
    return this.all().filter((r) => r.status === 'in_progress');
  }

  /** The stored events of one rollout in arrival order (for replays and annotations). */
  events(rolloutId: string): readonly DeployEvent[] {
    return this.cache.get(rolloutId)?.events ?? [];
  }

  async record(parsed: readonly ParsedDeployEvent[], receivedAt: Date): Promise<RecordResult> {
    this.checkWaveClusters(parsed);
    const unique = new Map(parsed.map((p) => [p.event.eventId, p.event]));
    const stored = await this.transactions.run((manager) => this.repository.append(manager, [...unique.values()], receivedAt));
    // a repeated id inside one request is a duplicate of its first occurrence
    const fresh = new Set(stored.map((e) => e.eventId));
    for (const { event } of parsed) {
      this.metrics.event(event.type, fresh.delete(event.eventId) ? 'accepted' : 'duplicate');
    }
    this.apply(stored);
    return {
      accepted: stored.length,
      duplicates: parsed.length - stored.length,
      rollouts: [...new Set(parsed.map((p) => p.event.rolloutId))],
    };
  }

  private apply(stored: readonly DeployEvent[]): void {
    const byRollout = new Map<string, DeployEvent[]>();
    for (const e of stored) byRollout.set(e.rolloutId, [...(byRollout.get(e.rolloutId) ?? []), e]);
    for (const [id, fresh] of byRollout) {
      const events = [...(this.cache.get(id)?.events ?? []), ...fresh];
      const state = deriveRolloutState(events);
      this.cache.set(id, { events, state });
      this.changeSubject.next({ rollout: state, events: fresh });
    }
  }

  // wave_started may omit clusters only when the rollout's plan (stored, or earlier in this
  // request) names the wave; otherwise nothing would say which clusters to watch.
  private checkWaveClusters(parsed: readonly ParsedDeployEvent[]): void {
    const plans = new Map<string, readonly { wave: string }[]>();
    for (const { path, event } of parsed) {
      if (event.type === 'rollout_started' && event.plan) plans.set(event.rolloutId, event.plan);
      if (event.type !== 'wave_started' || event.clusters.length > 0) continue;
      const plan = plans.get(event.rolloutId) ?? this.get(event.rolloutId)?.plan ?? [];
      if (!plan.some((p) => p.wave === event.wave)) {
        throw badRequest(`${path ? `${path}.` : ''}clusters: required for wave_started unless the rollout's plan lists wave "${event.wave}"`);
      }
    }
  }
}
