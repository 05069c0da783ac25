// One evaluation: per-cluster harm and DNS state, then per rollout the wave effects,
// telemetry loss, next-wave prediction and verdict. Pure and event-time driven: the same
// input gives the same output. The Analyzer keeps only a cache of pre-wave baselines.
import type { AnalysisInput, AnalysisResult, ClusterStatus, Finding, RolloutHealth, Unobserved } from './analysis.types.js';
import { SIGNALS } from '../signals/signal.types.js';
import { assessHarm, capacityOf, nodesOf, type HarmState } from './control-plane-harm.js';
import { assessDns, type DnsAssessment } from './dns-masking.js';
import { concurrentEffects } from './concurrent-attribution.js';
import { dnsFindingsFor, overloadFinding } from './finding-builders.js';
import { evaluateRollout, type RolloutOutcome } from './rollout-evaluation.js';
import { rolloutScope } from './rollout-scope.js';
import { BaselineCache, SignalView } from './signal-view.js';

const CONTROL_PLANE_SIGNALS = [SIGNALS.apiBusySeats, SIGNALS.apiRejectedRate, SIGNALS.apiErrorRatio];
const DNS_SIGNALS = [SIGNALS.dnsServfailRatio, SIGNALS.dnsMissFailureRatio, SIGNALS.dnsCacheHitRatio];

export class Analyzer {
  private readonly baselines = new BaselineCache();

  evaluate(input: AnalysisInput): AnalysisResult {
    const { reader, config } = input;
    const nowMs = input.nowMs ?? reader.watermarkMs() ?? input.wallClockMs ?? 0;
    const view = new SignalView(reader, nowMs, this.baselines);
    const names = view.clusterNames();

    const harms = new Map<string, HarmState>();
    const dns = new Map<string, DnsAssessment>();
    const clusters: ClusterStatus[] = names.map((cluster) => {
      const harm = assessHarm(view, cluster, config);
      if (harm) harms.set(cluster, harm);
      const d = assessDns(view, cluster, config);
      if (d) dns.set(cluster, d);
      const capacity = capacityOf(view, cluster, config);
      const busy = view.latest(cluster, SIGNALS.apiBusySeats);
      return {
        cluster,
        nodes: nodesOf(view, cluster, config),
        capacitySeats: capacity,
        busySeats: Number.isFinite(busy) ? busy : null,
        utilization: Number.isFinite(busy) ? busy / capacity : null,
        lastSampleMs: view.info(cluster)?.lastSampleMs ?? null,
        dns: d?.status ?? null,
      };
    });

    const scopes = input.rollouts.map((rollout) => rolloutScope(rollout, nowMs, config));
    const concurrent = concurrentEffects(view, scopes, harms, config);
    const outcomes: RolloutOutcome[] = scopes.map((scope, i) =>
      evaluateRollout(view, scope, harms, dns, config, input.wallClockMs, { effects: concurrent.effects[i], overloads: concurrent.overloads, shared: concurrent.shared[i]!, firstArrival: concurrent.firstArrival }),
    );

    const findings: Finding[] = outcomes.flatMap((o) => o.findings);
    const attributedClusters = new Set(outcomes.flatMap((o) => [...o.attributedClusters]));
    for (const [cluster, harm] of harms) if (!attributedClusters.has(cluster)) findings.push(overloadFinding(harm));
    findings.push(...unattributedDnsFindings(dns, outcomes));

    const rollouts: RolloutHealth[] = outcomes.map((o) => o.health);
    this.baselines.sweep();
    return { evaluatedAt: nowMs, findings: dedupeByKey(findings), rollouts, clusters, unobserved: unobserved(view, names) };
  }
}

/** clusters whose harm or DNS condition has no recent point to be judged on */
function unobserved(view: SignalView, names: readonly string[]): Unobserved {
  const dark = (cluster: string, signals: readonly string[]): boolean => signals.every((s) => !Number.isFinite(view.latest(cluster, s)));
  return { controlPlane: names.filter((c) => dark(c, CONTROL_PLANE_SIGNALS)), dns: names.filter((c) => dark(c, DNS_SIGNALS)) };
}

/** a stateless evaluation (no baseline cache carried between calls) */
export function analyze(input: AnalysisInput): AnalysisResult {
  return new Analyzer().evaluate(input);
}

function unattributedDnsFindings(dns: ReadonlyMap<string, DnsAssessment>, outcomes: readonly RolloutOutcome[]): Finding[] {
  const owned = new Set(outcomes.flatMap((o) => [...o.dnsClusters]));
  const out: Finding[] = [];
  for (const [cluster, d] of dns) {
    if (owned.has(cluster)) continue;
    out.push(...dnsFindingsFor(d, null, null, null));
  }
  return out;
}

function dedupeByKey(findings: readonly Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) if (!byKey.has(f.key)) byKey.set(f.key, f);
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
