import type { AlertView } from '../../alerts/alert.types.js';

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

// Alertmanager-style labels of an alert: the alert's own labels, then the identifying ones
// (which win, so routing and grouping cannot be spoofed by a free-form label).
export function alertLabels(alert: AlertView): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(alert.labels)) {
    if (labelName.test(name) && typeof value === 'string' && value !== '') labels[name] = value;
  }
  labels.alertname = alert.name;
  labels.severity = alert.severity;
  if (alert.rolloutId) labels.rollout = alert.rolloutId;
  if (alert.wave) labels.wave = alert.wave;
  if (alert.clusters.length > 0) labels.cluster = alert.clusters.join(',');
  return labels;
}
