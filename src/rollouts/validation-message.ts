import type { z } from 'zod';

// One line naming the bad field, e.g. `events[2].type: expected one of rollout_started|…`.
export function validationMessage(issue: z.core.$ZodIssue, input: unknown, prefix: string): string {
  const path = formatPath(prefix, issue.path);
  return `${path || 'body'}: ${describe(issue, valueAt(input, issue.path))}`;
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined && issue.code !== 'custom') return 'required';
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join('|')}`;
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_big':
      return issue.origin === 'string' ? `at most ${String(issue.maximum)} characters` : `at most ${String(issue.maximum)} items`;
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty' : `at least ${String(issue.minimum)} items`;
    case 'invalid_format':
      return issue.format === 'datetime' ? 'expected an RFC 3339 time with offset, e.g. 2024-12-11T22:51:00Z' : `invalid ${issue.format}`;
    case 'custom':
    case 'invalid_element':
    case 'invalid_key':
    case 'invalid_union':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return issue.message;
  }
}

function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
