import type { AnalysisResult } from '../analysis/analysis.types.js';
import type { AlertRecord } from './alert-lifecycle.js';
import type { AlertName } from './alert.types.js';

// Which signals an alert's condition is judged on. An alert resolves only on evidence that
// its condition cleared (DESIGN §3): while those signals of one of its clusters are dark (or
// the cluster is gone from the store), the alert is held open instead of counting clear steps.
const ASPECT: Partial<Record<AlertName, 'controlPlane' | 'dns'>> = {
  RolloutControlPlaneOverload: 'controlPlane',
  ControlPlaneOverload: 'controlPlane',
  DnsFailureMaskedByCache: 'dns',
  DnsErrorsVisible: 'dns',
};

/** fingerprints of open alerts whose condition this evaluation could not judge */
export function unobservedAlerts(open: readonly AlertRecord[], result: AnalysisResult): Set<string> {
  const held = new Set<string>();
  const unobserved = result.unobserved;
  if (!unobserved) return held;
  const known = new Set(result.clusters.map((c) => c.cluster));
  const dark = { controlPlane: new Set(unobserved.controlPlane), dns: new Set(unobserved.dns) };
  for (const r of open) {
    const aspect = ASPECT[r.name];
    if (aspect && r.clusters.some((c) => !known.has(c) || dark[aspect].has(c))) held.add(r.fingerprint);
  }
  return held;
}
