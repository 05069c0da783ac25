import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error.js';
import type { AppConfig } from '../../config/config.schema.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import { parseDeployEvents } from '../parse-deploy-events.js';
import { RolloutsMetrics } from '../rollouts.metrics.js';
import { RolloutsService, type RecordResult } from '../rollouts.service.js';
import type { Mapped } from './integration-event.js';
import { IntegrationsMetrics, type IntegrationTool } from './integrations.metrics.js';

export type IntegrationAnswer = RecordResult | { ignored: string };

// The one path from a tool's request to the event log: the mapped events go through the
// same validation, limits and idempotency as POST /api/v1/deploy-events.
@Injectable()
export class IntegrationRecorder {
  constructor(
    private readonly rollouts: RolloutsService,
    private readonly eventMetrics: RolloutsMetrics,
    private readonly metrics: IntegrationsMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs one request of a tool: mapping errors, bad events and refusals are counted, then rethrown. */
  async handle(tool: IntegrationTool, map: () => Promise<Mapped>): Promise<IntegrationAnswer> {
    let mapped: Mapped | undefined;
    try {
      mapped = await map();
      if ('ignored' in mapped) {
        this.metrics.request(tool, 'ignored');
        return { ignored: mapped.ignored };
      }
      const receivedAt = new Date();
      const result = await this.rollouts.record(parseDeployEvents([...mapped.events], this.config.events, receivedAt.getTime()), receivedAt);
      this.metrics.request(tool, 'accepted');
      return result;
    } catch (error) {
      this.metrics.request(tool, error instanceof DomainError && error.code === 'unauthorized' ? 'unauthorized' : 'rejected');
      if (mapped && 'events' in mapped) for (const e of mapped.events) this.eventMetrics.event(e.type, 'rejected');
      throw error;
    }
  }
}
