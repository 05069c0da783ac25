import type { AlertView } from '../../alerts/alert.types.js';

/** What one message of a notification group says; stored as the outbox row's payload. */
export interface GroupMessage {
  groupKey: string;
  groupLabels: Record<string, string>;
  /** 1 for the group's first message */
  version: number;
  /** a reminder: nothing changed since the previous message */
  repeat: boolean;
  /** every alert of the group still firing, in start order */
  firing: AlertView[];
  /** alerts that resolved since the previous message */
  resolved: AlertView[];
  /** fingerprints of firing alerts new since the previous message */
  added: string[];
}

export const groupStatus = (m: GroupMessage): 'firing' | 'resolved' => (m.firing.length > 0 ? 'firing' : 'resolved');
