import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import type { Verdict } from '../analysis/analysis.types.js';
import { RolloutHistory } from './rollout-history.js';
import { rolloutPageUrl } from './rollout-page-link.js';

const VERDICTS: readonly string[] = ['proceed', 'hold', 'rollback'] satisfies Verdict[];

// Adds `links.rolloutPage` to every gate answer, so a failed pipeline step prints where to
// look (an added field: deploy tools read verdict and reasons and ignore the rest), and
// records the answer for the page's wave timeline: what deploy tools were actually told.
@Injectable()
export class RolloutLinksInterceptor implements NestInterceptor {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly history: RolloutHistory,
  ) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        if (typeof body !== 'object' || body === null || !('rolloutId' in body) || typeof body.rolloutId !== 'string') return body;
        if ('verdict' in body && typeof body.verdict === 'string' && VERDICTS.includes(body.verdict) && 'evaluatedAt' in body && typeof body.evaluatedAt === 'string') {
          this.history.recordGateAnswer(body.rolloutId, Date.parse(body.evaluatedAt), body.verdict as Verdict);
        }
        const links = 'links' in body && typeof body.links === 'object' ? body.links : {};
        return { ...body, links: { ...links, rolloutPage: rolloutPageUrl(body.rolloutId, this.config.notify.externalUrl) } };
      }),
    );
  }
}
