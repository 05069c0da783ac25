import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../../ops/metrics.tokens.js';

export const INTEGRATION_TOOLS = ['argo', 'flagger', 'github', 'spinnaker'] as const;
export type IntegrationTool = (typeof INTEGRATION_TOOLS)[number];
export type IntegrationOutcome = 'accepted' | 'ignored' | 'rejected' | 'unauthorized';
const outcomes: readonly IntegrationOutcome[] = ['accepted', 'ignored', 'rejected', 'unauthorized'];

@Injectable()
export class IntegrationsMetrics {
  private readonly requests: Counter<'tool' | 'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.requests = new Counter({
      name: 'wavewatch_integration_requests_total',
      help: 'Deploy-tool webhook requests, by tool and outcome (ignored = said nothing about a rollout).',
      labelNames: ['tool', 'outcome'],
      registers: [registry],
    });
    for (const tool of INTEGRATION_TOOLS) for (const outcome of outcomes) this.requests.inc({ tool, outcome }, 0);
  }

  request(tool: IntegrationTool, outcome: IntegrationOutcome): void {
    this.requests.inc({ tool, outcome });
  }
}
