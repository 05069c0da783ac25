import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIGNALS } from '../signals/signal.types.js';
import { analysisConfig } from './analysis-config.js';
import { analyze, Analyzer } from './analyzer.js';
import type { AnalysisResult, Finding } from './analysis.types.js';
import { ASSUMED_AGING_EXPONENT, dnsTimeToImpact } from './dns-masking.js';
import { injectNodesSquaredLoad, ROLLOUT, STEP_MS, standardFleet, T0, twoWaveRollout, WAVE1, WAVE2 } from './testing/fleet-fixtures.js';
import type { MemorySignalReader } from './testing/memory-signal-reader.js';
import { overlay } from './testing/synthetic-fleet.js';

const config = analysisConfig();
const THETA = config.dnsVisibleThreshold;

/** misses fail at ratio f from onset; entries age out linearly over tau; visible = f·(1−h) */
function upstreamOutage(reader: MemorySignalReader, cluster: string, onsetMs: number, f: number, h0: number, tauSeconds: number): void {
  const h = (s: number): number => h0 * Math.max(0, 1 - s / tauSeconds);
  overlay(reader, cluster, SIGNALS.dnsMissFailureRatio, onsetMs, () => f);
  overlay(reader, cluster, SIGNALS.dnsCacheHitRatio, onsetMs, (_, s) => h(s));
  overlay(reader, cluster, SIGNALS.dnsServfailRatio, onsetMs, (_, s) => f * (1 - h(s)));
}

const masked = (r: AnalysisResult): Finding | undefined => r.findings.find((f) => f.alertName === 'DnsFailureMaskedByCache');

describe('cache-masked DNS failure', () => {
  it('is detected within 2 scrape intervals while visible SERVFAIL is under 1 %, with the closed-form time to impact', () => {
    const reader = standardFleet();
    const onset = T0 + 120_000;
    upstreamOutage(reader, 'w1-b', onset, 0.05, 0.9, 1200);
    const analyzer = new Analyzer();
    let found: { result: AnalysisResult; at: number } | undefined;
    for (let t = T0; t <= T0 + 600_000 && !found; t += STEP_MS) {
      reader.cutoffMs = t;
      const result = analyzer.evaluate({ reader, rollouts: [twoWaveRollout()], config, nowMs: t });
      if (masked(result)) found = { result, at: t };
    }
    assert.ok(found, 'never detected');
    assert.ok(found.at - onset <= 2 * STEP_MS, `detected ${(found.at - onset) / 1000} s after onset`);
    const finding = masked(found.result)!;
    assert.equal(finding.onsetMs, onset);
    assert.ok(finding.figures.visibleErrorRatio! < THETA);
    const h = reader.values('w1-b', SIGNALS.dnsCacheHitRatio, found.at, found.at)[0]!;
    const elapsed = (found.at - onset) / 1000;
    // closed form: f·(1 − h0·(1 − (e+x)/τ)) = θ  ⇒  x = τ(θ/f − 1)/h0 + τ − e
    const expected = (1200 * (THETA / 0.05 - 1)) / 0.9 + 1200 - elapsed;
    assert.ok(Math.abs(finding.timeToImpactSeconds! - expected) < 1, `${finding.timeToImpactSeconds} vs ${expected}`);
    assert.ok(h < 0.9, 'the hit ratio already fell');
    // the linear fall is measurable at once on noise-free data: p = 1
    assert.ok(Math.abs(finding.figures.cacheAgingExponent! - 1) < 1e-6, `p ${finding.figures.cacheAgingExponent}`);
    assert.equal(finding.figures.cacheAgingMeasured, 1);
    assert.equal(finding.figures.projectedErrorRatio, 0.05);
    // an upstream outage is not the rollout's fault
    assert.equal(finding.rolloutId, null);
    assert.equal(found.result.rollouts[0]!.verdict, 'proceed');
    const status = found.result.rollouts[0]!.dns.find((d) => d.cluster === 'w1-b');
    assert.equal(status?.missFailureRatio, 0.05);
  });

  it('refines the cache lifetime from the observed decay of the hit ratio', () => {
    const reader = standardFleet();
    const onset = T0 + 120_000;
    upstreamOutage(reader, 'ctl-02', onset, 0.03, 0.9, 900);
    const now = onset + 180_000;
    reader.cutoffMs = now;
    const finding = masked(analyze({ reader, rollouts: [], config, nowMs: now }));
    assert.ok(finding);
    assert.ok(Math.abs(finding.figures.cacheTtlSeconds! - 900) < 15, `τ ${finding.figures.cacheTtlSeconds}`);
    const expected = (900 * (THETA / 0.03 - 1)) / 0.9 + 900 - 180;
    assert.ok(Math.abs(finding.timeToImpactSeconds! - expected) < 10, `${finding.timeToImpactSeconds} vs ${expected}`);
  });

  it('turns into DnsErrorsVisible once the visible ratio crosses the threshold', () => {
    const reader = standardFleet();
    const onset = T0 + 120_000;
    upstreamOutage(reader, 'ctl-03', onset, 0.05, 0.9, 1200);
    const now = onset + 400_000;
    reader.cutoffMs = now;
    const result = analyze({ reader, rollouts: [], config, nowMs: now });
    assert.deepEqual(result.findings.map((f) => f.alertName), ['DnsErrorsVisible']);
    assert.equal(result.findings[0]!.timeToImpactSeconds, 0);
    const crossing = onset + Math.ceil(((1200 * (THETA / 0.05 - 1 + 0.9)) / 0.9) * 1000 / STEP_MS) * STEP_MS;
    assert.ok(Math.abs(result.findings[0]!.onsetMs - crossing) <= STEP_MS);
  });

  it('blames the rollout when the wave overloaded the control plane DNS depends on', () => {
    const big = { name: 'w1-big', nodes: 1500 };
    const reader = standardFleet(STEP_MS, 7, [big]);
    injectNodesSquaredLoad(reader, [...WAVE1, big], T0);
    upstreamOutage(reader, big.name, T0 + 240_000, 0.2, 0.98, 1200);
    const now = T0 + 270_000;
    reader.cutoffMs = now;
    const result = analyze({ reader, rollouts: [twoWaveRollout([...WAVE1, big], WAVE2)], config, nowMs: now });
    const finding = masked(result);
    assert.ok(finding, JSON.stringify(result.findings.map((f) => f.key)));
    assert.equal(finding.rolloutId, ROLLOUT);
    assert.match(finding.description, /overloaded by wave-1/);
    const health = result.rollouts[0]!;
    assert.equal(health.verdict, 'rollback');
    assert.ok(health.reasons.some((r) => r.code === 'dns_masked_failure' && r.cluster === big.name));
  });

  it('ignores background miss failures below the threshold', () => {
    const reader = standardFleet();
    overlay(reader, 'ctl-04', SIGNALS.dnsMissFailureRatio, T0, () => 0.012);
    reader.cutoffMs = T0 + 300_000;
    const result = analyze({ reader, rollouts: [twoWaveRollout()], config, nowMs: T0 + 300_000 });
    assert.deepEqual(result.findings, []);
  });
});

describe('dnsTimeToImpact', () => {
  const base = { exposure: 0.1, visible: 0.005, baseExposure: 0.1, missFailure: 0.05, ageSeconds: 0, tauSeconds: 1200, threshold: THETA, measuredExponent: undefined };

  it('is null when misses fail below the threshold and 0 once already visible', () => {
    assert.equal(dnsTimeToImpact({ ...base, missFailure: 0.005 }).seconds, null);
    assert.equal(dnsTimeToImpact({ ...base, missFailure: 0.5, visible: 0.05 }).seconds, 0);
    assert.ok(dnsTimeToImpact({ ...base, missFailure: 0.02 }).seconds! > 0);
  });

  it('crosses where (a/τ)^p of the cached answers are lost, bounded by τ', () => {
    // e* = θ/f = 0.2, lost share needed (0.2 − 0.1)/0.9 = 1/9
    const assumed = dnsTimeToImpact(base);
    assert.equal(assumed.exponent, ASSUMED_AGING_EXPONENT);
    assert.ok(Math.abs(assumed.seconds! - 1200 * (1 / 9) ** (1 / ASSUMED_AGING_EXPONENT)) < 1e-6);
    const linear = dnsTimeToImpact({ ...base, measuredExponent: 1, ageSeconds: 60 });
    assert.ok(Math.abs(linear.seconds! - (1200 / 9 - 60)) < 1e-6);
    // a slower aging shape pushes the crossing later, never past the horizon τ
    const slow = dnsTimeToImpact({ ...base, measuredExponent: 8, ageSeconds: 60 });
    assert.ok(slow.seconds! > assumed.seconds! - 60 && slow.seconds! <= 1200 - 60);
    // an exposure that has not risen by an age where p = 3 would have crossed raises p
    assert.equal(dnsTimeToImpact({ ...base, exponentFloor: 5 }).exponent, 5);
    assert.equal(dnsTimeToImpact({ ...base, exponentFloor: 2 }).exponent, ASSUMED_AGING_EXPONENT);
  });
});
