import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { EntityManager } from 'typeorm';
import type { AlertTransition } from '../../alerts/alert.types.js';
import type { AnalysisResult } from '../../analysis/analysis.types.js';
import type { AppConfig } from '../../config/config.schema.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import type { DeployEvent } from '../../rollouts/rollout.types.js';
import { RolloutsService } from '../../rollouts/rollouts.service.js';
import { TransactionRunner } from '../../storage/transaction-runner.js';
import { routeKey } from '../notify-route.js';
import { NotifyStore } from '../storage/notify.store.js';
import { alertText, deployText, scopeTags, verdictText } from './annotation-texts.js';
import { shortHash, type AnnotationPayload, type GrafanaAnnotationBody } from './grafana-annotation.js';

export interface GrafanaTarget {
  key: string;
  /** Grafana's base URL, e.g. https://grafana.example/ */
  url: string;
  headers: Record<string, string>;
}

function readToken(g: NonNullable<AppConfig['notify']['grafana']>): string {
  if (g.token) return g.token;
  try {
    return readFileSync(g.tokenFile!, 'utf8').trim();
  } catch (error) {
    throw new Error(`notify.grafana.tokenFile: cannot read ${g.tokenFile}: ${(error as Error).message}`, { cause: error });
  }
}

// Grafana annotations for alert transitions, deploy events and gate verdict changes. They are
// outbox rows like every notification (channel grafana): same queue, retries and Retry-After.
// Alerts are written in the alert's transaction; an alert's RESOLVED turns its FIRING point into
// a region (PATCH of the id Grafana returned), a wave_completed does the same for its wave.
@Injectable()
export class GrafanaAnnotations implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('notify-grafana');
  readonly target: GrafanaTarget | null;
  private readonly baseTags: string[];
  private readonly dashboardUid: string | undefined;
  private readonly verdicts = new Map<string, string | null>();
  private subscription: Subscription | null = null;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: NotifyStore,
    private readonly transactions: TransactionRunner,
    private readonly rollouts: RolloutsService,
  ) {
    const g = config.notify.grafana;
    this.target = g ? { key: routeKey({ channel: 'grafana', url: g.url }), url: g.url, headers: { authorization: `Bearer ${readToken(g)}` } } : null;
    this.baseTags = g?.tags ?? [];
    this.dashboardUid = g?.dashboardUid;
  }

  onModuleInit(): void {
    if (!this.target) return;
    // After the events are stored (RolloutsService announces only committed events).
    // A replica annotates what it received; what it reloaded was annotated where it arrived.
    this.subscription = this.rollouts.changes.subscribe(({ events, fromReplica }) => {
      if (fromReplica) return;
      this.pending = this.pending.then(() => this.deployEvents(events)).catch((error: unknown) => this.warn('deploy event', error));
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.pending;
  }

  /** Inside the alert's transaction (NotificationOutbox.enqueue). */
  async alertTransition(manager: EntityManager, t: AlertTransition): Promise<void> {
    if (!this.target) return;
    const a = t.alert;
    const start = Date.parse(a.startsAt);
    const firingKey = `${a.id}.annotation-firing.${this.target.key}`;
    const body = this.body(start, ['alert', a.name, a.severity, ...scopeTags(a.rolloutId, a.wave, a.clusters)], alertText(t));
    const resolved = t.transition === 'resolved';
    if (resolved) body.timeEnd = Date.parse(a.endsAt ?? new Date(t.atMs).toISOString());
    await this.store.insertAnnotation(manager, {
      dedupKey: resolved ? `${a.id}.annotation-resolved.${this.target.key}` : firingKey,
      subject: a.id,
      routeKey: this.target.key,
      alert: a,
      payload: { extends: resolved ? firingKey : null, body } satisfies AnnotationPayload,
      eventAt: new Date(t.atMs),
    });
  }

  async deployEvents(events: readonly DeployEvent[]): Promise<void> {
    const target = this.target;
    if (!target || events.length === 0) return;
    await this.transactions.run(async (manager) => {
      for (const e of events) {
        const body = this.body(e.atMs, ['deploy', e.type, ...scopeTags(e.rolloutId, e.wave, e.clusters)], deployText(e));
        const start = e.type === 'wave_completed' ? this.waveStart(e) : undefined;
        if (start) {
          body.time = start.atMs;
          body.timeEnd = e.atMs;
        }
        await this.store.insertAnnotation(manager, {
          dedupKey: this.deployKey(e.eventId),
          subject: `rollout-${shortHash(e.rolloutId, 32)}`,
          routeKey: target.key,
          alert: null,
          payload: { extends: start ? this.deployKey(start.eventId) : null, body } satisfies AnnotationPayload,
          eventAt: new Date(e.atMs),
        });
      }
    });
  }

  /** After each evaluated step: one annotation per rollout whose gate verdict changed. */
  async gateVerdicts(result: AnalysisResult): Promise<void> {
    const target = this.target;
    if (!target) return;
    try {
      const seen = new Set<string>();
      for (const h of result.rollouts) {
        seen.add(h.rolloutId);
        const subject = `verdict-${shortHash(h.rolloutId, 32)}`;
        if (!this.verdicts.has(h.rolloutId)) {
          const last = (await this.store.lastAnnotation(subject, target.key)) as AnnotationPayload | null;
          this.verdicts.set(h.rolloutId, last?.verdict ?? null);
        }
        const previous = this.verdicts.get(h.rolloutId) ?? null;
        if (previous === h.verdict) continue;
        const body = this.body(h.evaluatedAt, ['gate', h.verdict, ...scopeTags(h.rolloutId, null, [])], verdictText(h, previous));
        await this.transactions.run((manager) =>
          this.store.insertAnnotation(manager, {
            dedupKey: `${subject}.${h.evaluatedAt}.${target.key}`,
            subject,
            routeKey: target.key,
            alert: null,
            payload: { extends: null, body, verdict: h.verdict } satisfies AnnotationPayload,
            eventAt: new Date(h.evaluatedAt),
          }),
        );
        this.verdicts.set(h.rolloutId, h.verdict);
      }
      // Rollouts that left evaluation: their last verdict is in the database if they return.
      for (const id of this.verdicts.keys()) if (!seen.has(id)) this.verdicts.delete(id);
    } catch (error) {
      // Never fails the evaluation; the next change is annotated when the database is back.
      this.warn('gate verdict', error);
    }
  }

  private body(time: number, tags: string[], text: string): GrafanaAnnotationBody {
    const body: GrafanaAnnotationBody = { time, tags: [...new Set([...this.baseTags, ...tags])], text };
    if (this.dashboardUid) body.dashboardUID = this.dashboardUid;
    return body;
  }

  private deployKey(eventId: string): string {
    return `deploy.${shortHash(eventId, 32)}.${this.target?.key ?? ''}`;
  }

  private waveStart(e: DeployEvent): DeployEvent | undefined {
    return this.rollouts
      .events(e.rolloutId)
      .filter((x) => x.type === 'wave_started' && x.wave === e.wave && x.atMs <= e.atMs)
      .pop();
  }

  private warn(what: string, error: unknown): void {
    this.logger.warn(`grafana annotation for ${what} not written: ${error instanceof Error ? error.message : String(error)}`);
  }
}
