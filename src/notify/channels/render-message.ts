import type { NotifyChannel } from '../notify-route.js';
import { alertmanagerEndpoint, renderAlertmanagerAlerts } from './alertmanager.message.js';
import type { RenderInput } from './render-input.js';
import { renderSlackMessage } from './slack.message.js';
import { renderWebhookMessage } from './webhook.message.js';

export interface OutgoingRequest {
  url: string;
  body: unknown;
}

export function renderRequest(channel: NotifyChannel, routeUrl: string, input: RenderInput): OutgoingRequest {
  switch (channel) {
    case 'slack':
      return { url: routeUrl, body: renderSlackMessage(input) };
    case 'alertmanager':
      return { url: alertmanagerEndpoint(routeUrl), body: renderAlertmanagerAlerts(input) };
    case 'webhook':
      return { url: routeUrl, body: renderWebhookMessage(input) };
  }
}
