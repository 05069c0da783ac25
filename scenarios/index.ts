// Programmatic API of the fleet simulator (used in-process by analysis tests, bench and demo).
export { loadScenario, resolveScenario, ScenarioError } from './load-scenario.js';
export { simulate, simulateFrames, tickSeries, scrapeTimes, type ScrapeTick, type SimulationItem } from './fleet-simulator.js';
export { groundTruth, type GroundTruth, type ClusterTruth, type WaveTruth, type ExpectedAlert } from './ground-truth.js';
export { rolloutItems, type DeployEventBody, type RolloutItem } from './deploy-events.js';
export { isStaleMarker, STALE_NAN } from './stale-marker.js';
export type { Scenario, ClusterSpec } from './scenario.types.js';
export { scenarioFilesDir, scenarioPath } from './scenario-files.js';
