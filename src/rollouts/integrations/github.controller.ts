import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { verify } from '@octokit/webhooks-methods';
import type { Request } from 'express';
import { Scope } from '../../auth/scope.decorator.js';
import { DomainError } from '../../common/domain-error.js';
import type { AppConfig } from '../../config/config.schema.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import { mapGithubDelivery } from './github.mapping.js';
import { IntegrationRecorder, type IntegrationAnswer } from './integration-recorder.js';
import { readRawBody } from '../read-json-body.js';
import { parseToolBody } from './lenient-body.js';

const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

// Every delivery must carry X-Hub-Signature-256, the HMAC-SHA256 of the raw body with
// integrations.github.secret, checked in constant time by @octokit/webhooks-methods. Fail
// closed: with no secret configured every delivery is refused, because an unsigned
// deployment event could move a rollout's waves.
@Controller('api/v1/integrations/github')
export class GithubController {
  constructor(
    private readonly recorder: IntegrationRecorder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @Scope('events:write')
  deliver(@Req() req: Request): Promise<IntegrationAnswer> {
    return this.recorder.handle('github', async () => {
      const secret = this.config.integrations.github.secret;
      if (!secret) {
        req.resume();
        throw new DomainError('unauthorized', 'integrations.github.secret is not configured: unsigned GitHub deliveries are refused');
      }
      const signature = header(req, 'x-hub-signature-256');
      if (!signature) {
        req.resume();
        throw new DomainError('unauthorized', 'X-Hub-Signature-256: required (set the webhook secret in GitHub)');
      }
      const raw = await readRawBody(req, this.config.integrations.maxBodyBytes);
      // checked before parsing, so a forged body never reaches the parser
      if (!(await verify(secret, raw.toString('utf8'), signature))) {
        throw new DomainError('unauthorized', 'X-Hub-Signature-256: does not match the body signed with integrations.github.secret');
      }
      const delivery = { event: header(req, 'x-github-event') ?? '', deliveryId: header(req, 'x-github-delivery'), body: parseToolBody(raw, req.headers['content-type']) };
      return mapGithubDelivery(delivery, this.config.integrations.github.payloadKey);
    });
  }
}
