import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import type { AnalysisResult, Verdict } from '../analysis/analysis.types.js';
import { ALERT_NAMES, type Severity } from '../alerts/alert.types.js';
import type { AlertRecord } from '../alerts/alert-lifecycle.js';
import { METRICS_REGISTRY } from '../ops/metrics.tokens.js';

const VERDICTS: readonly Verdict[] = ['proceed', 'hold', 'rollback'];
const SEVERITIES: readonly Severity[] = ['warning', 'critical'];

// Rollout-health gauges for Grafana and for Argo Rollouts / Flagger Prometheus analysis.
// Rollout and cluster labels are bounded: series of rollouts that are no longer evaluated
// and of clusters that left the store are removed on the next update.
@Injectable()
export class DerivedMetrics {
  private readonly verdict: Gauge<'rollout' | 'verdict'>;
  private readonly predicted: Gauge<'rollout' | 'cluster'>;
  private readonly projected: Gauge<'cluster'>;
  private readonly timeToImpact: Gauge<'cluster'>;
  private readonly utilization: Gauge<'cluster'>;
  private readonly firing: Gauge<'alertname' | 'severity'>;
  private readonly evaluatedAt: Gauge;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.verdict = new Gauge({ name: 'wavewatch_rollout_verdict', help: '1 for the current verdict of an active rollout, 0 for the others', labelNames: ['rollout', 'verdict'], registers });
    this.predicted = new Gauge({ name: 'wavewatch_next_wave_predicted_utilization', help: 'Predicted busy-seat utilisation of each next-wave cluster (ratio of capacity)', labelNames: ['rollout', 'cluster'], registers });
    this.projected = new Gauge({ name: 'wavewatch_dns_projected_error_ratio', help: 'Client-visible DNS SERVFAIL ratio projected once cached entries expire', labelNames: ['cluster'], registers });
    this.timeToImpact = new Gauge({ name: 'wavewatch_dns_time_to_impact_seconds', help: 'Seconds until the visible DNS error ratio crosses the threshold (absent when no failure)', labelNames: ['cluster'], registers });
    this.utilization = new Gauge({ name: 'wavewatch_cluster_utilization', help: 'API-server busy seats divided by seat capacity', labelNames: ['cluster'], registers });
    this.firing = new Gauge({ name: 'wavewatch_alerts_firing', help: 'Firing alerts by name and severity', labelNames: ['alertname', 'severity'], registers });
    this.evaluatedAt = new Gauge({ name: 'wavewatch_analysis_evaluated_timestamp_seconds', help: 'Event time of the newest analysis evaluation', registers });
    for (const alertname of ALERT_NAMES) for (const severity of SEVERITIES) this.firing.set({ alertname, severity }, 0);
  }

  update(result: AnalysisResult, open: readonly AlertRecord[]): void {
    this.evaluatedAt.set(result.evaluatedAt / 1000);
    this.verdict.reset();
    this.predicted.reset();
    for (const r of result.rollouts) {
      for (const v of VERDICTS) this.verdict.set({ rollout: r.rolloutId, verdict: v }, r.verdict === v ? 1 : 0);
      for (const p of r.nextWave?.predictions ?? []) this.predicted.set({ rollout: r.rolloutId, cluster: p.cluster }, p.predictedUtilization);
    }
    this.projected.reset();
    this.timeToImpact.reset();
    this.utilization.reset();
    for (const c of result.clusters) {
      if (c.utilization !== null) this.utilization.set({ cluster: c.cluster }, c.utilization);
      if (c.dns) {
        this.projected.set({ cluster: c.cluster }, c.dns.projectedErrorRatio);
        if (c.dns.timeToImpactSeconds !== null) this.timeToImpact.set({ cluster: c.cluster }, c.dns.timeToImpactSeconds);
      }
    }
    const counts = new Map<string, number>();
    for (const a of open) if (a.state === 'firing') counts.set(`${a.name}\u0000${a.severity}`, (counts.get(`${a.name}\u0000${a.severity}`) ?? 0) + 1);
    for (const alertname of ALERT_NAMES) {
      for (const severity of SEVERITIES) this.firing.set({ alertname, severity }, counts.get(`${alertname}\u0000${severity}`) ?? 0);
    }
  }
}
