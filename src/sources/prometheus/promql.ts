import type { LabelMatcher } from '../../signals/label-matcher.js';

// PromQL text for the signal catalog's terms. Label values are quoted as Go strings (what
// PromQL parses); JSON string escapes are a subset of those.

const IDENTIFIER = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const OPS: Record<LabelMatcher['op'], string> = { eq: '=', ne: '!=', re: '=~', nre: '!~' };

export function quote(value: string): string {
  return JSON.stringify(value);
}

/** `metric{a="x",b=~"y"}`; a metric name PromQL cannot spell bare goes in as __name__ */
export function selector(metric: string, matchers: readonly LabelMatcher[]): string {
  const parts = matchers.map((m) => `${labelName(m.name)}${OPS[m.op]}${quote(m.value)}`);
  if (IDENTIFIER.test(metric)) return parts.length ? `${metric}{${parts.join(',')}}` : metric;
  return `{${[`__name__=${quote(metric)}`, ...parts].join(',')}}`;
}

export function labelName(name: string): string {
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) throw new Error(`label name ${quote(name)} cannot be used in PromQL`);
  return name;
}
