import type { AppConfig } from '../config/config.schema.js';
import { defaultCatalog } from './signal-catalog.js';
import { mergeSpecs } from './signal-definitions.js';
import type { SignalStoreOptions } from './signal-store.js';

// Prometheus' default lookback; also the longest scrape gap a counter increase is spread over.
const LOOKBACK_MS = 5 * 60_000;
const IDLE_MS = 10 * 60_000;

export function signalStoreOptions(config: AppConfig): SignalStoreOptions {
  return {
    stepMs: config.signals.stepSeconds * 1000,
    windowMs: config.signals.windowSeconds * 1000,
    lookbackMs: LOOKBACK_MS,
    idleMs: IDLE_MS,
    clusterLabel: config.ingest.clusterLabel,
    maxActiveSeries: config.ingest.maxActiveSeries,
    maxClusters: config.ingest.maxClusters,
    replicaLabels: config.ingest.replicaLabels,
    maxHistogramBuckets: config.ingest.maxHistogramBuckets,
    specs: mergeSpecs(defaultCatalog(), config.signals.definitions),
    defaults: {
      nodes: (cluster) => config.clusters[cluster]?.nodes,
      capacitySeats: (cluster) => config.clusters[cluster]?.capacitySeats,
      seatsPerInstance: config.analysis.defaultCapacitySeats,
    },
  };
}
