import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Subscription } from 'rxjs';
import { AlertsService } from '../alerts/alerts.service.js';
import type { AnalysisResult, ClusterStatus } from '../analysis/analysis.types.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { EvaluationLoop } from '../evaluation/evaluation-loop.js';
import { METRICS_REGISTRY } from '../ops/metrics.tokens.js';
import { RolloutsService } from '../rollouts/rollouts.service.js';
import { SIGNALS, type SignalReader } from '../signals/signal.types.js';
import { SIGNAL_READER } from '../signals/signals.tokens.js';

/** how far back the rejection rate may come from, in steps (one scrape interval and a bit) */
const RECENT_STEPS = 5;
/** cluster names in a label value (wave annotations); the rest is "+N more" */
const LABEL_CLUSTERS = 12;

export type DnsState = 0 | 1 | 2;

/** 1 = at a limit: utilisation at the headroom, or DNS errors (visible or projected) at the threshold. */
export function clusterRisk(c: ClusterStatus, headroom: number, dnsThreshold: number): number {
  const parts = [(c.utilization ?? 0) / headroom];
  if (c.dns) parts.push(c.dns.projectedErrorRatio / dnsThreshold, c.dns.visibleErrorRatio / dnsThreshold);
  const risk = Math.max(...parts.filter((x) => Number.isFinite(x)));
  return Number.isFinite(risk) ? risk : 0;
}

/** 0 ok, 1 failing behind the cache (clients do not see it yet), 2 visible to clients. */
export function dnsState(c: ClusterStatus, dnsThreshold: number): DnsState {
  if (!c.dns) return 0;
  if (c.dns.visibleErrorRatio >= dnsThreshold) return 2;
  return c.dns.projectedErrorRatio >= dnsThreshold || c.dns.missFailureRatio >= dnsThreshold ? 1 : 0;
}

function clusterList(clusters: readonly string[]): string {
  const shown = clusters.slice(0, LABEL_CLUSTERS).join(',');
  return clusters.length > LABEL_CLUSTERS ? `${shown} +${clusters.length - LABEL_CLUSTERS} more` : shown;
}

// The per-cluster and per-wave series the Grafana dashboards draw. Cardinality is bounded by
// web.metricsClusters: clusters of evaluated (active) rollouts first, then the riskiest of
// the rest; clusters left out are counted. Series are rebuilt on every evaluated step.
@Injectable()
export class RolloutGauges implements OnModuleDestroy {
  private readonly busy: Gauge<'cluster'>;
  private readonly capacity: Gauge<'cluster'>;
  private readonly rejected: Gauge<'cluster'>;
  private readonly visible: Gauge<'cluster'>;
  private readonly hidden: Gauge<'cluster'>;
  private readonly risk: Gauge<'cluster'>;
  private readonly dns: Gauge<'cluster'>;
  private readonly waveCluster: Gauge<'rollout' | 'wave' | 'cluster' | 'role'>;
  private readonly waveInProgress: Gauge<'rollout' | 'wave' | 'clusters'>;
  private readonly waveStarted: Gauge<'rollout' | 'wave' | 'clusters'>;
  private readonly alert: Gauge<'alertname' | 'severity' | 'rollout' | 'clusters'>;
  private readonly omitted: Counter<'kind'>;
  private readonly subscription: Subscription;

  constructor(
    loop: EvaluationLoop,
    private readonly rollouts: RolloutsService,
    private readonly alerts: AlertsService,
    @Inject(SIGNAL_READER) private readonly reader: SignalReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    const registers = [registry];
    const perCluster = (name: string, help: string): Gauge<'cluster'> => new Gauge({ name, help, labelNames: ['cluster'], registers });
    this.busy = perCluster('wavewatch_cluster_busy_seats', 'API-server busy seats (rate of request duration: Little\u2019s law)');
    this.capacity = perCluster('wavewatch_cluster_capacity_seats', 'API-server seat capacity (APF nominal seats or max-inflight)');
    this.rejected = perCluster('wavewatch_cluster_apf_rejected_per_second', 'API priority-and-fairness rejections per second');
    this.visible = perCluster('wavewatch_dns_visible_error_ratio', 'DNS SERVFAIL ratio clients see now');
    this.hidden = perCluster('wavewatch_dns_miss_failure_ratio', 'DNS failure ratio of cache misses (hidden while the cache still answers)');
    this.risk = perCluster('wavewatch_cluster_risk', 'Highest of utilisation/headroom and DNS error ratio (visible or projected)/threshold: 1 = at a limit');
    this.dns = perCluster('wavewatch_dns_state', 'DNS state: 0 ok, 1 failing behind the cache, 2 visible to clients');
    this.waveCluster = new Gauge({ name: 'wavewatch_rollout_wave_cluster_info', help: 'Clusters of active rollouts: role "wave" once their wave started, "control" while it is planned', labelNames: ['rollout', 'wave', 'cluster', 'role'], registers });
    this.waveInProgress = new Gauge({ name: 'wavewatch_rollout_wave_in_progress', help: '1 while a wave of an active rollout is in progress, 0 otherwise', labelNames: ['rollout', 'wave', 'clusters'], registers });
    this.waveStarted = new Gauge({ name: 'wavewatch_rollout_wave_started_timestamp_seconds', help: 'Event time a wave of an active rollout started', labelNames: ['rollout', 'wave', 'clusters'], registers });
    this.alert = new Gauge({ name: 'wavewatch_alert_active', help: '1 per firing alert (at most web.metricsClusters, critical first)', labelNames: ['alertname', 'severity', 'rollout', 'clusters'], registers });
    this.omitted = new Counter({ name: 'wavewatch_metrics_omitted_total', help: 'Series left out of the per-cluster gauges by web.metricsClusters, by kind, summed over evaluated steps', labelNames: ['kind'], registers });
    for (const kind of ['cluster', 'alert']) this.omitted.inc({ kind }, 0);
    this.subscription = loop.evaluated.subscribe((result) => this.update(result));
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  update(result: AnalysisResult): void {
    const { headroom, dnsVisibleThreshold } = this.config.analysis;
    const limit = this.config.web.metricsClusters;
    const roles = new Map<string, { rollout: string; wave: string; role: 'wave' | 'control' }[]>();
    for (const health of result.rollouts) {
      const rollout = this.rollouts.get(health.rolloutId);
      for (const w of rollout?.waves ?? []) {
        for (const cluster of w.clusters) {
          const list = roles.get(cluster) ?? [];
          list.push({ rollout: health.rolloutId, wave: w.wave, role: w.startedAtMs === null ? 'control' : 'wave' });
          roles.set(cluster, list);
        }
      }
    }
    const ranked = result.clusters
      .map((c) => ({ c, risk: clusterRisk(c, headroom, dnsVisibleThreshold), inRollout: roles.has(c.cluster) }))
      .sort((a, b) => Number(b.inRollout) - Number(a.inRollout) || b.risk - a.risk);
    const exported = ranked.slice(0, limit);
    if (ranked.length > limit) this.omitted.inc({ kind: 'cluster' }, ranked.length - limit);

    for (const g of [this.busy, this.capacity, this.rejected, this.visible, this.hidden, this.risk, this.dns, this.waveCluster]) g.reset();
    const step = this.reader.stepMs;
    for (const { c, risk } of exported) {
      const cluster = c.cluster;
      if (c.busySeats !== null) this.busy.set({ cluster }, c.busySeats);
      this.capacity.set({ cluster }, c.capacitySeats);
      // the newest final point: the step being evaluated is usually not complete yet
      const rejected = this.reader.values(cluster, SIGNALS.apiRejectedRate, result.evaluatedAt - RECENT_STEPS * step, result.evaluatedAt);
      const last = [...rejected].reverse().find((v) => !Number.isNaN(v));
      if (last !== undefined) this.rejected.set({ cluster }, last);
      if (c.dns) {
        this.visible.set({ cluster }, c.dns.visibleErrorRatio);
        this.hidden.set({ cluster }, c.dns.missFailureRatio);
      }
      this.risk.set({ cluster }, risk);
      this.dns.set({ cluster }, dnsState(c, dnsVisibleThreshold));
      for (const r of roles.get(cluster) ?? []) this.waveCluster.set({ rollout: r.rollout, wave: r.wave, cluster, role: r.role }, 1);
    }

    this.waveInProgress.reset();
    this.waveStarted.reset();
    for (const health of result.rollouts) {
      for (const w of this.rollouts.get(health.rolloutId)?.waves ?? []) {
        if (w.startedAtMs === null) continue;
        const labels = { rollout: health.rolloutId, wave: w.wave, clusters: clusterList(w.clusters) };
        this.waveInProgress.set(labels, w.status === 'in_progress' ? 1 : 0);
        this.waveStarted.set(labels, w.startedAtMs / 1000);
      }
    }

    this.alert.reset();
    const firing = this.alerts
      .openAlerts()
      .filter((a) => a.state === 'firing')
      .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1));
    for (const a of firing.slice(0, limit)) this.alert.set({ alertname: a.name, severity: a.severity, rollout: a.rolloutId ?? '', clusters: clusterList(a.clusters) }, 1);
    if (firing.length > limit) this.omitted.inc({ kind: 'alert' }, firing.length - limit);
  }
}
