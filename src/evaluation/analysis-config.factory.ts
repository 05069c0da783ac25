import { analysisConfig, type AnalysisConfig } from '../analysis/analysis-config.js';
import type { AppConfig } from '../config/config.schema.js';

// The pure core never sees AppConfig: this is the one place that maps it.
export function analysisConfigFrom(config: AppConfig): AnalysisConfig {
  const a = config.analysis;
  return analysisConfig({
    headroom: a.headroom,
    defaultCapacitySeats: a.defaultCapacitySeats,
    cacheTtlSeconds: a.cacheTtlSeconds,
    dnsVisibleThreshold: a.dnsVisibleThreshold,
    telemetryLostAfterSeconds: a.telemetryLostAfterSeconds,
    clusters: config.clusters,
  });
}
