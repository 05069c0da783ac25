import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { badRequest, notFound } from '../common/domain-error.js';
import { parseRange, parseSignalNames } from './signal-query.js';
import type { SignalReader } from './signal.types.js';
import { SIGNAL_READER } from './signals.tokens.js';
import { Scope } from '../auth/scope.decorator.js';

export interface ClusterView {
  name: string;
  nodes: number | null;
  capacitySeats: number;
  lastSampleAt: string | null;
  completeBefore: string | null;
  signals: string[];
}

export interface SignalPoint {
  t: string;
  v: number;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

@Controller('api/v1/clusters')
export class ClustersController {
  constructor(@Inject(SIGNAL_READER) private readonly reader: SignalReader) {}

  @Get()
  @Scope('read')
  list(): ClusterView[] {
    return this.reader
      .clusters()
      .map((c) => ({
        name: c.name,
        nodes: c.nodes ?? null,
        capacitySeats: c.capacitySeats,
        lastSampleAt: iso(c.lastSampleMs),
        completeBefore: iso(c.completeBeforeMs),
        signals: [...c.signals],
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  @Get(':name/signals')
  @Scope('read')
  signals(
    @Param('name') name: string,
    @Query() query: Record<string, unknown>,
  ): { cluster: string; stepSeconds: number; signals: Record<string, SignalPoint[]> } {
    const info = this.reader.cluster(name);
    if (!info) throw notFound(`unknown cluster "${name.slice(0, 128)}"`);
    const step = this.reader.stepMs;
    const range = parseRange(query, info.lastSampleMs ?? 0, step);
    const names = parseSignalNames(query.signal) ?? info.signals;
    const unknown = names.find((n) => !info.signals.includes(n));
    if (unknown !== undefined) throw badRequest(`unknown signal "${unknown.slice(0, 64)}"`);
    const first = Math.floor(range.fromMs / step) * step;
    const signals: Record<string, SignalPoint[]> = {};
    for (const signal of names) {
      const values = this.reader.values(name, signal, range.fromMs, range.toMs);
      const points: SignalPoint[] = [];
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (!Number.isNaN(v)) points.push({ t: new Date(first + i * step).toISOString(), v });
      }
      signals[signal] = points;
    }
    return { cluster: name, stepSeconds: step / 1000, signals };
  }
}
