import { badRequest, DomainError } from '../common/domain-error.js';
import type { LabelPair, RawSeries } from '../signals/signal.types.js';
import { countDiscard, type DecodedWrite, type LabelLimitReason, type WantsMetric } from './decoded-write.js';
import { limitExceeded, type IngestLimits } from './ingest-limits.js';
import { NAME_LABEL } from './wire-bytes.js';

export interface TextImportOptions {
  /** timestamp of lines that carry none (the receive time) */
  readonly defaultTimestampMs: number;
  /** added to every series that lacks a label of that name (the ?cluster= parameter) */
  readonly defaultLabel?: LabelPair;
}

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;

// Prometheus text exposition format 0.0.4, one sample per line. Errors name the line.
// One pass over the text, each character looked at a bounded number of times: lines are
// found with indexOf, a line over maxLineBytes is skipped whole, label count and sizes are
// checked while parsing (a line over one is dropped and counted, the rest kept), duplicate
// label names are found with a set.
export function parseTextExposition(text: string, wants: WantsMetric, limits: IngestLimits, options: TextImportOptions): DecodedWrite {
  const series: RawSeries[] = [];
  const discarded: Partial<Record<LabelLimitReason, number>> = {};
  const parser = new LineParser(text, limits, options);
  let samples = 0;
  let ignoredSamples = 0;
  let lineNo = 0;
  for (let pos = 0; pos <= text.length; ) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const start = pos;
    pos = end + 1;
    lineNo++;
    const kind = parser.reset(start, end);
    if (kind === 'blank') continue;
    if (++samples > limits.maxSeriesPerRequest) throw limitExceeded('series count', 'maxSeriesPerRequest', limits.maxSeriesPerRequest);
    let parsed: RawSeries | LabelLimitReason;
    try {
      parsed = kind === 'too_long' ? 'line_too_long' : parser.parse();
    } catch (error) {
      if (error instanceof DomainError) throw new DomainError(error.code, `line ${lineNo}: ${error.message}`, error.details);
      throw error;
    }
    if (typeof parsed === 'string') countDiscard(discarded, parsed, 1);
    else if (wants(parsed.labels[0]!.value)) series.push(parsed);
    else ignoredSamples++;
  }
  return { series, samples, ignoredSamples, histograms: 0, exemplars: 0, discarded };
}

const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 13;
const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

class LineParser {
  private pos = 0;
  private end = 0;
  private readonly seen = new Set<string>();

  constructor(
    private readonly text: string,
    private readonly limits: IngestLimits,
    private readonly options: TextImportOptions,
  ) {}

  /** frames the line [start, end) without its surrounding blanks */
  reset(start: number, end: number): 'blank' | 'too_long' | 'sample' {
    const t = this.text;
    while (start < end && isBlank(t.charCodeAt(start))) start++;
    while (end > start && isBlank(t.charCodeAt(end - 1))) end--;
    this.pos = start;
    this.end = end;
    if (start === end || t.charCodeAt(start) === 35 /* # */) return 'blank';
    const max = this.limits.maxLineBytes;
    // UTF-16 units ≤ UTF-8 bytes ≤ 3 × units: count bytes only when it can matter
    if (end - start > max || (3 * (end - start) > max && Buffer.byteLength(t.slice(start, end)) > max)) return 'too_long';
    return 'sample';
  }

  parse(): RawSeries | LabelLimitReason {
    this.seen.clear();
    const name = this.name(true, 'metric name');
    if (name.length > this.limits.maxLabelValueBytes) return 'label_value_too_long';
    const labels: LabelPair[] = [{ name: NAME_LABEL, value: name }];
    if (this.peek() === 123 /* { */) {
      const over = this.labels(labels);
      if (over !== undefined) return over;
    }
    if (this.pos < this.end && !isBlank(this.peek())) throw badRequest('expected whitespace before the value');
    const valueField = this.field();
    if (valueField === '') throw badRequest('expected a value and an optional timestamp');
    const timestampField = this.field();
    if (this.field() !== '') throw badRequest('expected a value and an optional timestamp');
    const value = parseValue(valueField);
    const timestampMs = timestampField === '' ? this.options.defaultTimestampMs : parseTimestamp(timestampField);
    const extra = this.options.defaultLabel;
    if (extra && !this.seen.has(extra.name)) labels.push(extra);
    if (labels.length > this.limits.maxLabelsPerSeries) return 'max_labels_per_series';
    return { labels, samples: [{ value, timestampMs }] };
  }

  /** parses {…} into `into`; stops at the first limit a label breaks and returns it */
  private labels(into: LabelPair[]): LabelLimitReason | undefined {
    const { maxLabelsPerSeries, maxLabelNameBytes } = this.limits;
    this.pos++; // '{'
    for (;;) {
      this.skipBlanks();
      if (this.peek() === 125 /* } */) break;
      const name = this.name(false, 'label name');
      this.skipBlanks();
      this.expect(61 /* = */, '=');
      this.skipBlanks();
      const value = this.quoted();
      if (value === undefined) return 'label_value_too_long';
      if (name.length > maxLabelNameBytes) return 'label_name_too_long';
      if (this.seen.has(name)) throw badRequest(`duplicate label ${name}`);
      this.seen.add(name);
      // the metric name counts as a label, as in remote_write
      if (into.length >= maxLabelsPerSeries) return 'max_labels_per_series';
      into.push({ name, value });
      this.skipBlanks();
      const c = this.peek();
      if (c === 44 /* , */) this.pos++;
      else if (c !== 125) throw badRequest(`expected ',' or '}' at column ${this.column()}`);
    }
    this.pos++; // '}'
    return undefined;
  }

  /** a quoted label value, undefined once it is longer than maxLabelValueBytes */
  private quoted(): string | undefined {
    this.expect(34 /* " */, '"');
    const t = this.text;
    const max = this.limits.maxLabelValueBytes;
    let out = '';
    let from = this.pos;
    for (;;) {
      if (this.pos >= this.end) throw badRequest('unterminated label value');
      const c = t.charCodeAt(this.pos);
      if (c === 34) {
        out += t.slice(from, this.pos);
        this.pos++;
        break;
      }
      if (c === 92 /* \ */) {
        out += t.slice(from, this.pos);
        const next = this.pos + 1 < this.end ? t[this.pos + 1]! : undefined;
        if (next === undefined) throw badRequest('unterminated label value');
        out += next === 'n' ? '\n' : next === '\\' || next === '"' ? next : `\\${next}`;
        this.pos += 2;
        from = this.pos;
      } else this.pos++;
      // units already seen bound the bytes from below: stop reading a bomb early
      if (out.length + this.pos - from > max) return undefined;
    }
    return out.length > max / 3 && Buffer.byteLength(out) > max ? undefined : out;
  }

  /** [a-zA-Z_:][a-zA-Z0-9_:]* for metric names, without ':' for label names */
  private name(metric: boolean, what: string): string {
    const t = this.text;
    const start = this.pos;
    let c = this.peek();
    if (!(isLetter(c) || (metric && c === 58))) throw badRequest(`invalid ${what} at column ${this.column()}`);
    do {
      this.pos++;
      c = this.peek();
    } while (this.pos < this.end && (isLetter(c) || isDigit(c) || (metric && c === 58)));
    return t.slice(start, this.pos);
  }

  /** the next blank-separated field, '' at the end of the line */
  private field(): string {
    this.skipBlanks();
    const start = this.pos;
    while (this.pos < this.end && !isBlank(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private peek(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
  }

  private column(): number {
    const lineStart = this.text.lastIndexOf('\n', this.pos - 1) + 1;
    return this.pos - lineStart + 1;
  }

  private expect(code: number, c: string): void {
    if (this.peek() !== code) throw badRequest(`expected '${c}' at column ${this.column()}`);
    this.pos++;
  }

  private skipBlanks(): void {
    while (this.pos < this.end && (this.text.charCodeAt(this.pos) === 32 || this.text.charCodeAt(this.pos) === 9)) this.pos++;
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
      if (field.length > 64 || !FLOAT.test(field)) throw badRequest(`invalid value ${JSON.stringify(field.slice(0, 40))}`);
      return Number(field);
  }
}

function parseTimestamp(field: string): number {
  const ms = field.length <= 20 && INTEGER.test(field) ? Number(field) : NaN;
  if (!Number.isSafeInteger(ms)) throw badRequest(`invalid timestamp ${JSON.stringify(field.slice(0, 40))}`);
  return ms;
}
