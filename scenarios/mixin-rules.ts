// The community alerts wavewatch is measured against, as Prometheus rules over per-cluster
// aggregates the simulator writes (see mixin-anchor.ts). Thresholds, windows and `for`
// durations follow the CoreDNS mixin (CoreDNSErrorsHigh) and the kubernetes-mixin
// (KubeAPIErrorBudgetBurn for a 99 % SLO, KubeAPIDown); expressions are restated per cluster.

const burn = (window: string): string =>
  `sum by (cluster) (
      (rate(mixin_input:apiserver_request_count_total[${window}]) - rate(mixin_input:apiserver_request_fast_total[${window}]))
      / rate(mixin_input:apiserver_request_count_total[${window}]))`;

export const MIXIN_ALERT_NAMES = ['CoreDNSErrorsHigh', 'KubeAPIErrorBudgetBurn', 'KubeAPIDown'] as const;

export function mixinRulesYaml(): string {
  const servfail = `sum by (cluster) (rate(coredns_dns_responses_total{rcode="SERVFAIL"}[5m])) / sum by (cluster) (rate(coredns_dns_responses_total[5m]))`;
  const rules: { alert: string; expr: string; for: string; severity: string; extra?: string }[] = [
    { alert: 'CoreDNSErrorsHigh', expr: `${servfail} > 0.03`, for: '10m', severity: 'critical' },
    { alert: 'CoreDNSErrorsHigh', expr: `${servfail} > 0.01`, for: '10m', severity: 'warning' },
    { alert: 'KubeAPIErrorBudgetBurn', expr: `${burn('1h')} > (14.40 * 0.01) and ${burn('5m')} > (14.40 * 0.01)`, for: '2m', severity: 'critical', extra: 'long: 1h, short: 5m, ' },
    { alert: 'KubeAPIErrorBudgetBurn', expr: `${burn('6h')} > (6.00 * 0.01) and ${burn('30m')} > (6.00 * 0.01)`, for: '15m', severity: 'critical', extra: 'long: 6h, short: 30m, ' },
    { alert: 'KubeAPIDown', expr: `sum by (cluster) (up{job="apiserver"}) == 0`, for: '15m', severity: 'critical' },
  ];
  const lines = ['groups:', '  - name: mixin-anchor', '    rules:'];
  for (const r of rules) {
    lines.push(`      - alert: ${r.alert}`, `        expr: ${JSON.stringify(r.expr.replace(/\s+/g, ' '))}`, `        for: ${r.for}`, `        labels: { ${r.extra ?? ''}severity: ${r.severity} }`);
  }
  return lines.join('\n') + '\n';
}
