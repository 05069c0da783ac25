import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { rolloutPageUrl } from './rollout-page-link.js';

// Adds `links.rolloutPage` to every gate answer, so a failed pipeline step prints where to
// look. An added field: deploy tools read verdict and reasons and ignore the rest.
@Injectable()
export class RolloutLinksInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        if (typeof body !== 'object' || body === null || !('rolloutId' in body) || typeof body.rolloutId !== 'string') return body;
        const links = 'links' in body && typeof body.links === 'object' ? body.links : {};
        return { ...body, links: { ...links, rolloutPage: rolloutPageUrl(body.rolloutId, this.config.notify.externalUrl) } };
      }),
    );
  }
}
