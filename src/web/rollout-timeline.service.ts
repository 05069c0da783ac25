import { Inject, Injectable } from '@nestjs/common';
import type { AlertView } from '../alerts/alert.types.js';
import { recordToView } from '../alerts/alert-record.mapper.js';
import { AlertsService } from '../alerts/alerts.service.js';
import type { RolloutHealth } from '../analysis/analysis.types.js';
import { notFound } from '../common/domain-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { EvaluationLoop } from '../evaluation/evaluation-loop.js';
import { RolloutHealthService } from '../evaluation/rollout-health.service.js';
import { noDataHealthView, toHealthView } from '../gate/rollout-health.view.js';
import { toRolloutView } from '../rollouts/rollout-view.js';
import type { RolloutState } from '../rollouts/rollout.types.js';
import { RolloutsService } from '../rollouts/rollouts.service.js';
import { SIGNALS, type SignalReader } from '../signals/signal.types.js';
import { SIGNAL_READER } from '../signals/signals.tokens.js';
import { clusterRisk } from './rollout-gauges.js';
import { RolloutHistory } from './rollout-history.js';
import { rolloutPageUrl } from './rollout-page-link.js';
import type { ClusterSeriesView, PredictionView, RolloutTimelineView } from './rollout-timeline.view.js';

/** before the rollout's start, for the baseline the waves are compared with */
const LEAD_MS = 15 * 60_000;
/** after its end, to see whether the effect went away */
const TAIL_MS = 30 * 60_000;
/** points per chart line at most: a long rollout is drawn at a coarser step */
const MAX_POINTS = 720;
const MAX_ALERTS = 1000;

const round = (v: number): number => Math.round(v * 1e6) / 1e6;

// Reads the signal windows, the recorded verdict and DNS history and the alerts of one
// rollout into what the page draws. Bounded: at most web.maxChartClusters clusters, each
// with at most MAX_POINTS points per line.
@Injectable()
export class RolloutTimelineService {
  constructor(
    @Inject(SIGNAL_READER) private readonly reader: SignalReader,
    private readonly rollouts: RolloutsService,
    private readonly alerts: AlertsService,
    private readonly loop: EvaluationLoop,
    private readonly healthOf: RolloutHealthService,
    private readonly history: RolloutHistory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  list(): RolloutState[] {
    return this.rollouts.all().sort((a, b) => b.startedAtMs - a.startedAtMs);
  }

  /** The gate's answer now (the same service /gate answers from); null before anything was evaluated. */
  health(rollout: RolloutState): RolloutHealth | null {
    return this.healthOf.of(rollout)?.health ?? null;
  }

  async timeline(id: string): Promise<RolloutTimelineView> {
    const rollout = this.rollouts.get(id);
    if (!rollout) throw notFound(`rollout "${id.slice(0, 128)}" is unknown`);
    const health = this.health(rollout);
    const watermark = this.reader.watermarkMs() ?? rollout.updatedAtMs;
    const step = this.reader.stepMs;
    const toMs = Math.min(watermark, (rollout.endedAtMs ?? Infinity) + TAIL_MS);
    const fromMs = Math.max(rollout.startedAtMs - LEAD_MS, toMs - this.config.signals.windowSeconds * 1000, 0);
    const stride = Math.max(1, Math.ceil((toMs - fromMs) / step / MAX_POINTS));

    // Most at risk first: the cut keeps the riskiest now, the page orders by the range's peak.
    const { headroom, dnsVisibleThreshold } = this.config.analysis;
    const riskNow = new Map((this.loop.latest()?.clusters ?? []).map((c) => [c.cluster, clusterRisk(c, headroom, dnsVisibleThreshold)]));
    const waveClusters = rollout.waves
      .filter((w) => w.startedAtMs !== null)
      .flatMap((w) => w.clusters.map((cluster) => ({ cluster, wave: w.wave })))
      .sort((a, b) => (riskNow.get(b.cluster) ?? 0) - (riskNow.get(a.cluster) ?? 0));
    const drawn = waveClusters.slice(0, this.config.web.maxChartClusters);
    const series = drawn.map(({ cluster, wave }) => this.clusterSeries(cluster, wave, fromMs, toMs, stride));
    const peakRisk = (c: ClusterSeriesView): number => Math.max((c.peakUtilization ?? 0) / headroom, ...c.projectedErrorRatio.map((v) => (v ?? 0) / dnsVisibleThreshold), ...c.visibleErrorRatio.map((v) => (v ?? 0) / dnsVisibleThreshold));
    const ranked = series.map((c) => ({ c, risk: peakRisk(c) })).sort((a, b) => b.risk - a.risk);
    const page = rolloutPageUrl(id, this.config.notify.externalUrl);
    const encoded = encodeURIComponent(id);
    return {
      rollout: toRolloutView(rollout),
      health: health ? toHealthView(health) : noDataHealthView(id, this.reader.watermarkMs() ?? rollout.updatedAtMs),
      links: {
        rolloutPage: page,
        health: `/api/v1/rollouts/${encoded}/health`,
        gate: `/api/v1/rollouts/${encoded}/gate`,
        grafana: this.grafanaLink(id),
      },
      verdicts: this.history.verdictChanges(id).map((c) => ({ at: new Date(c.atMs).toISOString(), verdict: c.verdict, nextWave: c.nextWave, reasons: c.reasons })),
      gateAnswers: this.history.gateAnswers(id).map((a) => ({ from: new Date(a.fromMs).toISOString(), to: new Date(a.toMs).toISOString(), verdict: a.verdict, count: a.count })),
      alerts: await this.alertsOf(rollout),
      clusters: ranked.map((r) => r.c),
      omittedClusters: waveClusters.slice(drawn.length).map((c) => c.cluster),
      prediction: this.prediction(id, health),
      range: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() },
      stepSeconds: (step * stride) / 1000,
      dnsVisibleThreshold: this.config.analysis.dnsVisibleThreshold,
      pollSeconds: this.config.web.pollSeconds,
    };
  }

  private grafanaLink(id: string): string | null {
    const base = this.config.notify.grafanaUrl;
    if (!base) return null;
    const url = new URL(base);
    url.searchParams.set('var-rollout', id);
    return url.toString();
  }

  private async alertsOf(rollout: RolloutState): Promise<AlertView[]> {
    const own = await this.alerts.list({ state: 'all', rolloutId: rollout.rolloutId, limit: MAX_ALERTS });
    const clusters = new Set(rollout.waves.flatMap((w) => w.clusters));
    const seen = new Set(own.map((a) => a.id));
    const others = this.alerts
      .openAlerts()
      .filter((r) => r.state === 'firing' && !seen.has(r.id) && r.clusters.some((c) => clusters.has(c)))
      .map(recordToView);
    return [...own, ...others].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  }

  private prediction(id: string, health: RolloutHealth | null): PredictionView | null {
    const next = health?.nextWave;
    const recorded = this.history.prediction(id);
    if (!next && !recorded) return null;
    return {
      wave: next?.wave ?? '',
      verdict: next?.verdict ?? 'proceed',
      headroom: this.config.analysis.headroom,
      predictions: next?.predictions ?? [],
      t: (recorded?.t ?? []).map((ms) => ms / 1000),
      maxPredicted: (recorded?.maxPredicted ?? []).map(round),
    };
  }

  private clusterSeries(cluster: string, wave: string, fromMs: number, toMs: number, stride: number): ClusterSeriesView {
    const step = this.reader.stepMs;
    const first = Math.floor(fromMs / step) * step;
    const info = this.reader.cluster(cluster);
    const read = (signal: string): Float64Array => (info ? this.reader.values(cluster, signal, fromMs, toMs) : new Float64Array(0));
    const busy = read(SIGNALS.apiBusySeats);
    const capacity = read(SIGNALS.apiCapacitySeats);
    const rejected = read(SIGNALS.apiRejectedRate);
    const visible = read(SIGNALS.dnsServfailRatio);
    const hidden = read(SIGNALS.dnsMissFailureRatio);
    const recorded = this.history.cluster(cluster);
    const projectedAt = new Map<number, number>();
    recorded?.t.forEach((t, i) => projectedAt.set(t, recorded.projected[i]!));

    const n = Math.floor((toMs - first) / step) + 1;
    const out: ClusterSeriesView = {
      cluster,
      wave,
      nodes: info?.nodes ?? null,
      t: [],
      busySeats: [],
      capacitySeats: [],
      rejectedRate: [],
      visibleErrorRatio: [],
      missFailureRatio: [],
      projectedErrorRatio: [],
      timeToImpactSeconds: recorded?.timeToImpact.at(-1) ?? null,
      peakUtilization: null,
    };
    // The busiest value of each stride: a coarser chart must not hide a peak.
    const peak = (values: Float64Array, from: number): number | null => {
      let best = NaN;
      for (let i = from; i < Math.min(from + stride, values.length); i++) if (!Number.isNaN(values[i]!) && !(values[i]! <= best)) best = values[i]!;
      return Number.isNaN(best) ? null : round(best);
    };
    for (let i = 0; i < n; i += stride) {
      const t = first + i * step;
      out.t.push(t / 1000);
      out.busySeats.push(peak(busy, i));
      // capacity falls back to what the store knows (configured or default seats)
      out.capacitySeats.push(peak(capacity, i) ?? (info ? info.capacitySeats : null));
      out.rejectedRate.push(peak(rejected, i));
      out.visibleErrorRatio.push(peak(visible, i));
      out.missFailureRatio.push(peak(hidden, i));
      let projected: number | null = null;
      for (let k = 0; k < stride; k++) {
        const v = projectedAt.get(t + k * step);
        if (v !== undefined && (projected === null || v > projected)) projected = round(v);
      }
      out.projectedErrorRatio.push(projected);
    }
    out.t.forEach((_, i) => {
      const b = out.busySeats[i];
      const c = out.capacitySeats[i];
      if (b !== null && b !== undefined && c) out.peakUtilization = Math.max(out.peakUtilization ?? 0, round(b / c));
    });
    return out;
  }
}
