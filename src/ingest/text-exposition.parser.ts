import { badRequest, DomainError } from '../common/domain-error.js';
import type { LabelPair, RawSeries } from '../signals/signal.types.js';
import type { DecodedWrite, WantsMetric } from './decoded-write.js';
import { limitExceeded, type IngestLimits } from './ingest-limits.js';
import { NAME_LABEL } from './wire-bytes.js';

export interface TextImportOptions {
  /** timestamp of lines that carry none (the receive time) */
  readonly defaultTimestampMs: number;
  /** added to every series that lacks a label of that name (the ?cluster= parameter) */
  readonly defaultLabel?: LabelPair;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;

// Prometheus text exposition format 0.0.4, one sample per line. Errors name the line.
export function parseTextExposition(text: string, wants: WantsMetric, limits: IngestLimits, options: TextImportOptions): DecodedWrite {
  const series: RawSeries[] = [];
  let samples = 0;
  let ignoredSamples = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (++samples > limits.maxSeriesPerRequest) throw limitExceeded('series count', 'maxSeriesPerRequest', limits.maxSeriesPerRequest);
    let parsed: RawSeries;
    try {
      parsed = new LineParser(line, limits, options).parse();
    } catch (error) {
      if (error instanceof DomainError) throw new DomainError(error.code, `line ${i + 1}: ${error.message}`, error.details);
      throw error;
    }
    if (wants(parsed.labels[0]!.value)) series.push(parsed);
    else ignoredSamples++;
  }
  return { series, samples, ignoredSamples, histograms: 0, exemplars: 0 };
}

class LineParser {
  private pos = 0;

  constructor(
    private readonly line: string,
    private readonly limits: IngestLimits,
    private readonly options: TextImportOptions,
  ) {}

  parse(): RawSeries {
    const name = this.match(METRIC_NAME, 'metric name');
    const labels: LabelPair[] = [{ name: NAME_LABEL, value: name }];
    if (this.line[this.pos] === '{') this.labels(labels);
    const fields = this.line.slice(this.pos).trim().split(/[ \t]+/);
    if (this.pos < this.line.length && !/^[ \t]/.test(this.line.slice(this.pos))) throw badRequest('expected whitespace before the value');
    if (fields.length < 1 || fields.length > 2 || fields[0] === '') throw badRequest('expected a value and an optional timestamp');
    const value = parseValue(fields[0]!);
    const timestampMs = fields[1] === undefined ? this.options.defaultTimestampMs : parseTimestamp(fields[1]);
    const extra = this.options.defaultLabel;
    if (extra && !labels.some((l) => l.name === extra.name)) labels.push(extra);
    if (labels.length > this.limits.maxLabelsPerSeries) {
      throw limitExceeded('labels per series', 'maxLabelsPerSeries', this.limits.maxLabelsPerSeries);
    }
    return { labels, samples: [{ value, timestampMs }] };
  }

  private labels(into: LabelPair[]): void {
    this.pos++; // '{'
    for (;;) {
      this.skipBlanks();
      if (this.line[this.pos] === '}') break;
      const name = this.match(LABEL_NAME, 'label name');
      this.skipBlanks();
      this.expect('=');
      this.skipBlanks();
      const value = this.quoted();
      if (Buffer.byteLength(name) > this.limits.maxLabelNameBytes) {
        throw limitExceeded('label name length', 'maxLabelNameBytes', this.limits.maxLabelNameBytes);
      }
      if (Buffer.byteLength(value) > this.limits.maxLabelValueBytes) {
        throw limitExceeded('label value length', 'maxLabelValueBytes', this.limits.maxLabelValueBytes);
      }
      if (into.some((l) => l.name === name)) throw badRequest(`duplicate label ${name}`);
      into.push({ name, value });
      this.skipBlanks();
      if (this.line[this.pos] === ',') this.pos++;
      else if (this.line[this.pos] !== '}') throw badRequest(`expected ',' or '}' at column ${this.pos + 1}`);
    }
    this.pos++; // '}'
  }

  private quoted(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      const c = this.line[this.pos++];
      if (c === undefined) throw badRequest('unterminated label value');
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const next = this.line[this.pos++];
      if (next === undefined) throw badRequest('unterminated label value');
      out += next === 'n' ? '\n' : next === '\\' || next === '"' ? next : `\\${next}`;
    }
  }

  private match(pattern: RegExp, what: string): string {
    const m = pattern.exec(this.line.slice(this.pos));
    if (!m) throw badRequest(`invalid ${what} at column ${this.pos + 1}`);
    this.pos += m[0].length;
    return m[0];
  }

  private expect(c: string): void {
    if (this.line[this.pos] !== c) throw badRequest(`expected '${c}' at column ${this.pos + 1}`);
    this.pos++;
  }

  private skipBlanks(): void {
    while (this.line[this.pos] === ' ' || this.line[this.pos] === '\t') this.pos++;
  }
}

function parseValue(field: string): number {
  switch (field) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
    default:
      if (!FLOAT.test(field)) throw badRequest(`invalid value ${JSON.stringify(field.slice(0, 40))}`);
      return Number(field);
  }
}

function parseTimestamp(field: string): number {
  const ms = INTEGER.test(field) ? Number(field) : NaN;
  if (!Number.isSafeInteger(ms)) throw badRequest(`invalid timestamp ${JSON.stringify(field.slice(0, 40))}`);
  return ms;
}
