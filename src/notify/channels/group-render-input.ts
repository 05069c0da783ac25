import type { AlertView } from '../../alerts/alert.types.js';
import { groupStatus, type GroupMessage } from '../grouping/group-message.js';
import type { AlertLinks } from './alert-links.js';
import type { NotificationKind, RenderInput } from './render-input.js';

export interface GroupRenderInput {
  message: GroupMessage;
  routeKey: string;
  linksOf: (alert: AlertView) => AlertLinks;
  externalUrl: string | null;
  sentAtMs: number;
  resendSeconds: number;
}

/** The single-alert view of one alert of a group message. */
export function alertInput(input: GroupRenderInput, alert: AlertView, kind: NotificationKind): RenderInput {
  return { alert, kind, routeKey: input.routeKey, links: input.linksOf(alert), externalUrl: input.externalUrl, sentAtMs: input.sentAtMs, resendSeconds: input.resendSeconds };
}

/** A message about exactly one alert reads like the per-alert message it always was. */
export function singleAlertInput(input: GroupRenderInput): RenderInput | null {
  const m = input.message;
  if (m.firing.length + m.resolved.length !== 1) return null;
  const status = groupStatus(m);
  const alert = status === 'firing' ? m.firing[0]! : m.resolved[0]!;
  return alertInput(input, alert, m.repeat ? 'repeat' : status);
}
