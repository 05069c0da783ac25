import type { AlertView } from '../../alerts/alert.types.js';
import type { AlertLinks } from './alert-links.js';

/** firing and resolved are transitions; repeat is a reminder that an alert is still firing. */
export type NotificationKind = 'firing' | 'resolved' | 'repeat';

export interface RenderInput {
  alert: AlertView;
  kind: NotificationKind;
  routeKey: string;
  links: AlertLinks;
  externalUrl: string | null;
  /** wall-clock time of the send, ms: Alertmanager needs an endsAt in its own clock */
  sentAtMs: number;
  resendSeconds: number;
}
