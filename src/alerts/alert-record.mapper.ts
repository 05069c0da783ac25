import type { Finding } from '../analysis/analysis.types.js';
import { alertFingerprint } from './alert-fingerprint.js';
import type { AlertCondition, AlertRecord } from './alert-lifecycle.js';
import type { AlertView } from './alert.types.js';
import { AlertEntity } from './alert.entity.js';

export interface AlertLinks {
  runbookUrl?: string | undefined;
}

const RUNBOOK_ANCHORS: Record<string, string> = {
  RolloutControlPlaneOverload: 'rolloutcontrolplaneoverload',
  ControlPlaneOverload: 'controlplaneoverload',
  DnsFailureMaskedByCache: 'dnsfailuremaskedbycache',
  DnsErrorsVisible: 'dnserrorsvisible',
  NextWaveCapacityRisk: 'nextwavecapacityrisk',
  TelemetryLost: 'telemetrylost',
};

/** the fingerprint a finding's alert has (the gate matches stored alerts against findings with it) */
export function findingFingerprint(f: Finding): string {
  return alertFingerprint(f.alertName, f.rolloutId, f.alertName === 'NextWaveCapacityRisk' ? f.wave : (f.clusters[0] ?? null));
}

export function conditionFromFinding(f: Finding, links: AlertLinks): AlertCondition {
  const labels: Record<string, string> = { alertname: f.alertName, severity: f.severity };
  if (f.rolloutId) labels.rollout = f.rolloutId;
  if (f.wave) labels.wave = f.wave;
  if (f.clusters.length === 1 && f.clusters[0]) labels.cluster = f.clusters[0];
  if (f.cause) labels.cause = f.cause;
  const base = links.runbookUrl ?? 'https://github.com/wavewatch/wavewatch/blob/main/docs/runbooks.md';
  return {
    fingerprint: findingFingerprint(f),
    name: f.alertName,
    severity: f.severity,
    rolloutId: f.rolloutId,
    wave: f.wave,
    clusters: [...f.clusters],
    onsetMs: f.onsetMs,
    timeToImpactSeconds: f.timeToImpactSeconds,
    labels,
    annotations: {
      summary: f.summary,
      description: f.description,
      runbook_url: `${base}#${RUNBOOK_ANCHORS[f.alertName] ?? ''}`,
      ...(f.figures.rollbackDeadlineMs !== undefined ? { rollback_deadline: new Date(f.figures.rollbackDeadlineMs).toISOString() } : {}),
    },
    figures: { ...f.figures },
  };
}

export function recordToEntity(r: AlertRecord): AlertEntity {
  const e = new AlertEntity();
  e.id = r.id;
  e.fingerprint = r.fingerprint;
  e.name = r.name;
  e.severity = r.severity;
  e.state = r.state;
  e.rolloutId = r.rolloutId;
  e.wave = r.wave;
  e.clusters = r.clusters;
  e.startsAt = new Date(r.startsAtMs);
  e.endsAt = r.endsAtMs === null ? null : new Date(r.endsAtMs);
  e.lastSeenAt = new Date(r.lastSeenMs);
  e.heldSteps = r.heldSteps;
  e.clearSteps = r.clearSteps;
  e.timeToImpactSeconds = r.timeToImpactSeconds;
  e.labels = r.labels;
  e.annotations = r.annotations;
  e.figures = r.figures;
  e.updatedAt = new Date();
  return e;
}

export function entityToRecord(e: AlertEntity): AlertRecord {
  return {
    id: e.id,
    fingerprint: e.fingerprint,
    name: e.name,
    severity: e.severity,
    state: e.state,
    rolloutId: e.rolloutId,
    wave: e.wave,
    clusters: e.clusters,
    onsetMs: e.startsAt.getTime(),
    startsAtMs: e.startsAt.getTime(),
    endsAtMs: e.endsAt ? e.endsAt.getTime() : null,
    lastSeenMs: e.lastSeenAt.getTime(),
    heldSteps: e.heldSteps,
    clearSteps: e.clearSteps,
    timeToImpactSeconds: e.timeToImpactSeconds,
    labels: e.labels,
    annotations: e.annotations,
    figures: e.figures,
  };
}

export function recordToView(r: AlertRecord): AlertView {
  return {
    id: r.id,
    fingerprint: r.fingerprint,
    name: r.name,
    severity: r.severity,
    state: r.state === 'resolved' ? 'resolved' : 'firing',
    startsAt: new Date(r.startsAtMs).toISOString(),
    endsAt: r.endsAtMs === null ? null : new Date(r.endsAtMs).toISOString(),
    rolloutId: r.rolloutId,
    wave: r.wave,
    clusters: r.clusters,
    timeToImpactSeconds: r.timeToImpactSeconds,
    labels: r.labels,
    annotations: r.annotations,
    figures: r.figures,
  };
}
