import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../common/domain-error.js';
import { defaultLimits, wantsCatalog } from './ingest-test-fixtures.js';
import { parseTextExposition } from './text-exposition.parser.js';

const all = (): boolean => true;
const parse = (text: string, extra: Partial<Parameters<typeof parseTextExposition>[3]> = {}) =>
  parseTextExposition(text, all, defaultLimits, { defaultTimestampMs: 42, ...extra });

const rejectsAtLine = (text: string, line: number, pattern: RegExp): void =>
  assert.throws(
    () => parse(text),
    (e: unknown) => e instanceof DomainError && e.code === 'bad_request' && e.message.startsWith(`line ${line}:`) && pattern.test(e.message),
  );

describe('text exposition parser', () => {
  it('parses labels with escapes, special values and optional timestamps', () => {
    const out = parse(
      [
        '# HELP apiserver_request_total Counter of apiserver requests.',
        '# TYPE apiserver_request_total counter',
        'apiserver_request_total{verb="LIST",path="C:\\\\dir",msg="say \\"hi\\"\\nbye",} 1027 1395066363000',
        'coredns_cache_entries +Inf',
        'coredns_x{a="1"} -Inf 5',
        '  up  NaN  ',
        '',
      ].join('\n'),
    );
    assert.equal(out.samples, 4);
    const [first, second, third, fourth] = out.series;
    assert.deepEqual(first!.labels, [
      { name: '__name__', value: 'apiserver_request_total' },
      { name: 'verb', value: 'LIST' },
      { name: 'path', value: 'C:\\dir' },
      { name: 'msg', value: 'say "hi"\nbye' },
    ]);
    assert.deepEqual(first!.samples, [{ value: 1027, timestampMs: 1395066363000 }]);
    assert.deepEqual(second!.samples, [{ value: Infinity, timestampMs: 42 }]);
    assert.deepEqual(third!.samples, [{ value: -Infinity, timestampMs: 5 }]);
    assert.ok(Number.isNaN(fourth!.samples[0]!.value));
  });

  it('adds the default cluster label only when the series lacks it', () => {
    const cluster = { name: 'cluster', value: 'prod-a' };
    const out = parse('up 1\nup{cluster="prod-b"} 1', { defaultLabel: cluster });
    assert.deepEqual(out.series[0]!.labels[1], cluster);
    assert.deepEqual(
      out.series[1]!.labels.filter((l) => l.name === 'cluster'),
      [{ name: 'cluster', value: 'prod-b' }],
    );
  });

  it('drops series the sink does not want and counts them as ignored', () => {
    const out = parseTextExposition('node_load1 3\napiserver_request_total 1', wantsCatalog, defaultLimits, { defaultTimestampMs: 0 });
    assert.deepEqual(
      out.series.map((s) => s.labels[0]!.value),
      ['apiserver_request_total'],
    );
    assert.equal(out.ignoredSamples, 1);
  });

  it('names the line of a syntax error', () => {
    rejectsAtLine('up 1\nup{a="1" 2', 2, /expected/);
    rejectsAtLine('up 1\n\nup{a="1"} one', 3, /invalid value/);
    rejectsAtLine('up 1 12.5', 1, /invalid timestamp/);
    rejectsAtLine('up{a="x', 1, /unterminated/);
    rejectsAtLine('9up 1', 1, /metric name/);
    rejectsAtLine('up{a="1",a="2"} 1', 1, /duplicate label a/);
    rejectsAtLine('up', 1, /value/);
  });

  it('drops and counts a line over a label limit, keeping the other lines', () => {
    const text = [
      `up{a="${'x'.repeat(200)}"} 1`,
      `up{${'b'.repeat(65)}="1"} 1`,
      `up{${Array.from({ length: 16 }, (_, i) => `l${i}="v"`).join(',')}} 1`,
      `up{a="${'é'.repeat(65)}"} 1`, // 65 characters, 130 bytes
      `up{a="${'x'.repeat(5000)}"} 1`,
      `# ${'x'.repeat(5000)}`, // a long comment is skipped, not counted
      'up{job="kept"} 1',
    ].join('\n');
    const out = parseTextExposition(text, all, defaultLimits, { defaultTimestampMs: 0 });
    assert.deepEqual(
      out.series.map((s) => s.labels.at(-1)!.value),
      ['kept'],
    );
    assert.deepEqual(out.discarded, { label_value_too_long: 2, label_name_too_long: 1, max_labels_per_series: 1, line_too_long: 1 });
    assert.equal(out.samples, 6);
    assert.throws(
      () => parseTextExposition('up 1\nup 2', all, { ...defaultLimits, maxSeriesPerRequest: 1 }, { defaultTimestampMs: 0 }),
      /maxSeriesPerRequest=1/,
    );
  });
});

describe('text exposition parser: linear in its input', () => {
  it('parses a 10 MiB single-line label bomb by dropping the line, and keeps the next line', () => {
    const limits = { ...defaultLimits, maxLineBytes: 512 * 1024 };
    const bomb = `apiserver_request_total{${'a="v",'.repeat(1_800_000)}} 1`;
    assert.ok(bomb.length > 10 * 2 ** 20);
    const out = parseTextExposition(`${bomb}\nup 1\n`, all, limits, { defaultTimestampMs: 0 });
    assert.deepEqual(out.discarded, { line_too_long: 1 });
    assert.equal(out.series.length, 1);
    // under the line limit, the label count stops the parse at the limit, not at the end of the line
    const many = `up{${Array.from({ length: 5000 }, (_, i) => `l${i}="v"`).join(',')}} 1`;
    const wide = parseTextExposition(many, all, { ...limits, maxLabelsPerSeries: 64 }, { defaultTimestampMs: 0 });
    assert.deepEqual(wide.discarded, { max_labels_per_series: 1 });
  });
});
