import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Subject, type Observable, type Subscription } from 'rxjs';
import { badRequest } from '../common/domain-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { CHANNELS, fitsNotify, ReplicaCoordinator } from '../replicas/replica-coordinator.js';
import { TransactionRunner } from '../storage/transaction-runner.js';
import { DeployEventRepository } from './deploy-event.repository.js';
import type { ParsedDeployEvent } from './parse-deploy-events.js';
import { byEventTime, RolloutFold } from './rollout-state.js';
import { checkWaveCaps } from './wave-cluster-cap.js';
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
  /** stored by another replica (this one reloaded it): side effects of receiving it happened there */
  readonly fromReplica?: boolean;
}

/** a NOTIFY payload naming more rollouts than fit (8000 bytes) says "reload all" */
const ALL = '*';
const RELOAD_RETRY_MS = 1000;

interface CachedRollout {
  events: DeployEvent[];
  fold: RolloutFold;
  state: RolloutState;
}

// Rollout state for the rest of the service: loaded from the event log at start, kept
// current on every write of this instance and, with replicas, reloaded when another replica
// announces (NOTIFY) the rollouts it stored events of; announced on `changes` for the analysis.
@Injectable()
export class RolloutsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('rollouts');
  private readonly cache = new Map<string, CachedRollout>();
  private readonly changeSubject = new Subject<RolloutChange>();
  readonly changes: Observable<RolloutChange> = this.changeSubject.asObservable();
  private subscription: Subscription | null = null;
  private reloading: Promise<void> = Promise.resolve();
  /** rollouts whose reload failed (ALL: every one), retried together a second later */
  private retry: { ids: Set<string> | typeof ALL; timer: NodeJS.Timeout } | null = null;

  constructor(
    private readonly repository: DeployEventRepository,
    private readonly transactions: TransactionRunner,
    private readonly metrics: RolloutsMetrics,
    private readonly replicas: ReplicaCoordinator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    metrics.countActiveWith(() => this.activeRollouts().length);
  }

  async onModuleInit(): Promise<void> {
    for (const [id, events] of byRollout(await this.repository.loadAll())) this.cache.set(id, folded(events));
    this.subscription = this.replicas.messages.subscribe((m) => {
      if (m.channel === CHANNELS.rollouts) void this.reload(announced(m.payload));
      else if (m.channel === 'resync') void this.reload();
    });
  }

  onApplicationShutdown(): void {
    if (this.retry) clearTimeout(this.retry.timer);
    this.retry = null;
    this.subscription?.unsubscribe();
    this.changeSubject.complete();
  }

  /**
   * Refolds rollouts (all without ids) from the event log, announcing those with events this
   * replica had not seen: another replica stored them. Reloads run one after another.
   */
  reload(rolloutIds?: readonly string[]): Promise<void> {
    this.reloading = this.reloading.then(async () => {
      try {
        for (const [id, events] of byRollout(await this.repository.loadAll(rolloutIds))) {
          const known = new Set((this.cache.get(id)?.events ?? []).map((e) => e.eventId));
          const fresh = events.filter((e) => !known.has(e.eventId));
          if (fresh.length === 0) continue;
          const entry = folded(events);
          this.cache.set(id, entry);
          this.changeSubject.next({ rollout: entry.state, events: fresh, fromReplica: true });
        }
      } catch (error) {
        // dropped, the leader would evaluate without the events until the next one arrived
        this.logger.warn(`reloading rollouts stored by another replica failed, retrying in ${RELOAD_RETRY_MS} ms: ${error instanceof Error ? error.message : String(error)}`);
        this.retryReload(rolloutIds);
      }
    });
    return this.reloading;
  }

  private retryReload(rolloutIds: readonly string[] | undefined): void {
    if (!this.retry) {
      const timer = setTimeout(() => {
        const ids = this.retry?.ids;
        this.retry = null;
        void this.reload(ids === ALL || ids === undefined ? undefined : [...ids]);
      }, RELOAD_RETRY_MS);
      timer.unref();
      this.retry = { ids: new Set(), timer };
    }
    const r = this.retry;
    if (rolloutIds === undefined || r.ids === ALL) r.ids = ALL;
    else for (const id of rolloutIds) r.ids.add(id);
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
    checkWaveCaps(parsed, (id) => this.get(id), this.config.events.maxClustersPerWave);
    const unique = new Map(parsed.map((p) => [p.event.eventId, p.event]));
    const stored = await this.transactions.run(async (manager) => {
      const rows = await this.repository.append(manager, [...unique.values()], receivedAt);
      // the other replicas reload these rollouts when this commits
      if (rows.length > 0) await this.replicas.notify(CHANNELS.rollouts, announce(rows), manager);
      return rows;
    });
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

  // Events later than everything folded so far are applied in place (linear in the events);
  // an event that arrives out of event-time order refolds that rollout from its log.
  private apply(stored: readonly DeployEvent[]): void {
    for (const [id, fresh] of byRollout(stored)) {
      const cached = this.cache.get(id);
      let entry: CachedRollout;
      if (!cached) entry = folded(fresh);
      else {
        for (const e of fresh) cached.events.push(e);
        const sorted = [...fresh].sort(byEventTime);
        const last = cached.fold.lastEvent;
        if (last && byEventTime(sorted[0]!, last) < 0) entry = folded(cached.events);
        else {
          for (const e of sorted) cached.fold.apply(e);
          entry = { ...cached, state: cached.fold.snapshot() };
        }
      }
      this.cache.set(id, entry);
      this.changeSubject.next({ rollout: entry.state, events: fresh });
    }
  }

  // wave_started may omit clusters only when the rollout's plan (stored, or earlier in this
  // request) names the wave; otherwise nothing would say which clusters to watch.
  private checkWaveClusters(parsed: readonly ParsedDeployEvent[]): void {
    const plans = new Map<string, ReadonlySet<string>>();
    const planOf = (id: string): ReadonlySet<string> => {
      let waves = plans.get(id);
      if (!waves) plans.set(id, (waves = new Set((this.get(id)?.plan ?? []).map((p) => p.wave))));
      return waves;
    };
    for (const { path, event } of parsed) {
      if (event.type === 'rollout_started' && event.plan) plans.set(event.rolloutId, new Set(event.plan.map((p) => p.wave)));
      if (event.type !== 'wave_started' || event.clusters.length > 0) continue;
      if (!planOf(event.rolloutId).has(event.wave ?? '')) {
        throw badRequest(`${path ? `${path}.` : ''}clusters: required for wave_started unless the rollout's plan lists wave "${event.wave}"`);
      }
    }
  }
}

function byRollout(events: readonly DeployEvent[]): Map<string, DeployEvent[]> {
  const out = new Map<string, DeployEvent[]>();
  for (const e of events) {
    const list = out.get(e.rolloutId);
    if (list) list.push(e);
    else out.set(e.rolloutId, [e]);
  }
  return out;
}

/** NOTIFY payload: a JSON array of rollout ids, or ALL */
function announce(events: readonly DeployEvent[]): string {
  const ids = JSON.stringify([...new Set(events.map((e) => e.rolloutId))]);
  // rollout ids may hold multi-byte characters: the bound is NOTIFY's, in bytes
  return fitsNotify(ids) ? ids : ALL;
}

/** undefined: reload all */
function announced(payload: string): string[] | undefined {
  try {
    const ids: unknown = JSON.parse(payload);
    return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : undefined;
  } catch {
    return undefined;
  }
}

function folded(events: DeployEvent[]): CachedRollout {
  const fold = new RolloutFold();
  for (const e of [...events].sort(byEventTime)) fold.apply(e);
  return { events, fold, state: fold.snapshot() };
}
