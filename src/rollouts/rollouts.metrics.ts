import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../ops/metrics.tokens.js';
import { DEPLOY_EVENT_TYPES, type DeployEventType } from './rollout.types.js';

export type DeployEventOutcome = 'accepted' | 'duplicate' | 'rejected';
const outcomes: readonly DeployEventOutcome[] = ['accepted', 'duplicate', 'rejected'];

// type="unknown" counts rejected requests whose events could not be typed (bad JSON, 413).
@Injectable()
export class RolloutsMetrics {
  private readonly events: Counter<'type' | 'outcome'>;
  private activeCount: () => number = () => 0;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.events = new Counter({
      name: 'wavewatch_deploy_events_total',
      help: 'Deploy events received, by type and outcome.',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    });
    for (const type of [...DEPLOY_EVENT_TYPES, 'unknown']) for (const outcome of outcomes) this.events.inc({ type, outcome }, 0);
    const active = (): number => this.activeCount();
    new Gauge({
      name: 'wavewatch_rollouts_active',
      help: 'Rollouts in progress.',
      registers: [registry],
      collect() {
        this.set(active());
      },
    });
  }

  countActiveWith(count: () => number): void {
    this.activeCount = count;
  }

  event(type: DeployEventType | 'unknown', outcome: DeployEventOutcome, n = 1): void {
    if (n > 0) this.events.inc({ type, outcome }, n);
  }
}
