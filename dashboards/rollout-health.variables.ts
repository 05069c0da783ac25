import {
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  TextBoxVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { datasourceRef } from './dashboard-queries.js';

// The Slack messages link here with ?var-rollout=…&var-cluster=…: keep these names.
export const ROLLOUT_VARIABLE = 'rollout';
export const CLUSTER_VARIABLE = 'cluster';

export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus');
}

// "All" matches with .* so a panel also shows series whose label the variable has not
// listed yet (a rollout announced after the dashboard loaded).
function labelVariable(name: string, label: string, metric: string): QueryVariableBuilder {
  const query = `label_values(${metric}, ${name})`;
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(datasourceRef)
    .query({ query, refId: `${name}-values` })
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*');
}

export function rolloutVariable(): QueryVariableBuilder {
  return labelVariable(ROLLOUT_VARIABLE, 'Rollout', 'wavewatch_rollout_verdict');
}

export function clusterVariable(): QueryVariableBuilder {
  return labelVariable(CLUSTER_VARIABLE, 'Cluster', 'wavewatch_cluster_utilization');
}

// Where wavewatch serves its rollout pages, for the dashboard's links (a text box, so each
// Grafana can point at its own wavewatch).
export function wavewatchUrlVariable(): TextBoxVariableBuilder {
  return new TextBoxVariableBuilder('wavewatch').label('wavewatch URL').defaultValue('http://localhost:8080').description('Base URL of wavewatch, for links to the rollout page');
}
