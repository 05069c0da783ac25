import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';

// Every panel queries the Prometheus picked in the `datasource` variable, so one dashboard
// works against any Prometheus that scrapes wavewatch.
export const datasourceRef: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

export function rangeQuery(expr: string, legend: string, refId = 'A'): DataqueryBuilder {
  return new DataqueryBuilder().datasource(datasourceRef).expr(expr).legendFormat(legend).refId(refId).range();
}

export function instantQuery(expr: string, legend: string, refId = 'A'): DataqueryBuilder {
  return new DataqueryBuilder().datasource(datasourceRef).expr(expr).legendFormat(legend).refId(refId).instant();
}
