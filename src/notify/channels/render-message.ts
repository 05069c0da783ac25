import type { GroupMessage } from '../grouping/group-message.js';
import type { NotifyChannel } from '../notify-route.js';
import { alertmanagerEndpoint, renderAlertmanagerAlerts } from './alertmanager.message.js';
import { alertInput, type GroupRenderInput } from './group-render-input.js';
import type { RenderInput } from './render-input.js';
import { renderSlackGroupMessage } from './slack-group.message.js';
import { renderWebhookMessage } from './webhook.message.js';

export interface OutgoingRequest {
  url: string;
  body: unknown;
}

export function renderGroupRequest(channel: NotifyChannel, routeUrl: string, input: GroupRenderInput): OutgoingRequest {
  switch (channel) {
    case 'slack':
      return { url: routeUrl, body: renderSlackGroupMessage(input) };
    case 'alertmanager': {
      const m = input.message;
      const alerts = [...m.firing.map((a) => alertInput(input, a, 'firing')), ...m.resolved.map((a) => alertInput(input, a, 'resolved'))];
      return { url: alertmanagerEndpoint(routeUrl), body: alerts.flatMap(renderAlertmanagerAlerts) };
    }
    case 'webhook':
      return { url: routeUrl, body: renderWebhookMessage(input) };
  }
}

// A per-alert row (Alertmanager routes, rows written before grouping existed) is a group of one.
export function renderRequest(channel: NotifyChannel, routeUrl: string, input: RenderInput): OutgoingRequest {
  if (channel === 'alertmanager') return { url: alertmanagerEndpoint(routeUrl), body: renderAlertmanagerAlerts(input) };
  const a = input.alert;
  const message: GroupMessage = {
    groupKey: a.fingerprint,
    groupLabels: { alertname: a.name, fingerprint: a.fingerprint },
    version: 1,
    repeat: input.kind === 'repeat',
    firing: input.kind === 'resolved' ? [] : [a],
    resolved: input.kind === 'resolved' ? [a] : [],
    added: input.kind === 'firing' ? [a.fingerprint] : [],
  };
  const { alert: _alert, kind: _kind, links, ...rest } = input;
  return renderGroupRequest(channel, routeUrl, { ...rest, message, linksOf: () => links });
}
