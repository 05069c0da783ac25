import type { LabelPair } from './signal.types.js';

// Prometheus-style label matchers. In config a matcher is `label: value`, where the value
// is an exact string or starts with an operator: `=~regex`, `!~regex`, `!=value`. Regexes
// are fully anchored and an absent label matches as the empty string, as in PromQL.
export type MatchOp = 'eq' | 'ne' | 're' | 'nre';

export interface LabelMatcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
  readonly regex: RegExp | undefined;
}

export function parseMatcher(name: string, spec: string): LabelMatcher {
  const op: MatchOp = spec.startsWith('=~') ? 're' : spec.startsWith('!~') ? 'nre' : spec.startsWith('!=') ? 'ne' : 'eq';
  const value = op === 'eq' ? spec : spec.slice(2);
  let regex: RegExp | undefined;
  if (op === 're' || op === 'nre') {
    try {
      regex = new RegExp(`^(?:${value})$`);
    } catch (error) {
      throw new Error(`matcher ${name}="${spec}": invalid regex: ${(error as Error).message}`, { cause: error });
    }
  }
  return { name, op, value, regex };
}

export function parseMatchers(record: Readonly<Record<string, string>> | undefined): LabelMatcher[] {
  if (!record) return [];
  return Object.entries(record)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, spec]) => parseMatcher(name, spec));
}

export function labelValue(labels: readonly LabelPair[], name: string): string {
  for (const label of labels) if (label.name === name) return label.value;
  return '';
}

export function matchesAll(matchers: readonly LabelMatcher[], labels: readonly LabelPair[]): boolean {
  for (const m of matchers) {
    const v = labelValue(labels, m.name);
    switch (m.op) {
      case 'eq':
        if (v !== m.value) return false;
        break;
      case 'ne':
        if (v === m.value) return false;
        break;
      case 're':
        if (!m.regex!.test(v)) return false;
        break;
      case 'nre':
        if (m.regex!.test(v)) return false;
        break;
    }
  }
  return true;
}

/** canonical text of a matcher list, used to share components between signals */
export function matchersKey(matchers: readonly LabelMatcher[]): string {
  return matchers.map((m) => `${m.name}${m.op}${m.value}`).join(',');
}
