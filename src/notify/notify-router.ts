import { Inject, Injectable } from '@nestjs/common';
import type { AlertView } from '../alerts/alert.types.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { buildRoutes, matchingRoutes, type NotifyRoute } from './notify-route.js';

// The configured routes, keyed for the outbox rows that refer to them. URLs stay in the
// config (Slack webhook URLs are secrets): rows only store the route key.
@Injectable()
export class NotifyRouter {
  readonly routes: readonly NotifyRoute[];
  private readonly byKey: Map<string, NotifyRoute>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.routes = buildRoutes(config.notify.routes);
    this.byKey = new Map(this.routes.map((r) => [r.key, r]));
  }

  match(alert: AlertView): NotifyRoute[] {
    return matchingRoutes(this.config.notify.routes, alert);
  }

  route(key: string): NotifyRoute | undefined {
    return this.byKey.get(key);
  }

  /** Reminder interval while firing; Alertmanager needs frequent resends or it expires the alert. */
  repeatSeconds(route: NotifyRoute): number {
    const repeat = route.repeatIntervalSeconds > 0 ? route.repeatIntervalSeconds : Infinity;
    return route.channel === 'alertmanager' ? Math.min(repeat, this.config.notify.alertmanagerResendSeconds) : repeat;
  }
}
