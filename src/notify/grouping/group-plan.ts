import type { AlertView } from '../../alerts/alert.types.js';
import type { OutboxStatus } from '../storage/notification-outbox.entity.js';

export interface GroupMember {
  id: string;
  kind: 'firing' | 'resolved';
  alert: AlertView;
}

export interface GroupPlanInput {
  /** fingerprint → alert, as the group's previous message announced them (firing only) */
  announced: Readonly<Record<string, AlertView>>;
  /** transitions not yet in a message, oldest first */
  members: readonly GroupMember[];
  groupWaitSeconds: number;
  sendResolved: boolean;
  repeatDue: boolean;
}

export interface GroupPlan {
  /** member id → its new status (grouped rows are carried by the message) */
  statuses: Map<string, Extract<OutboxStatus, 'grouped' | 'superseded' | 'muted'>>;
  /** members left for the next message */
  deferred: number;
  announced: Record<string, AlertView>;
  message: { firing: AlertView[]; resolved: AlertView[]; added: string[]; repeat: boolean } | null;
}

const byStart = (a: AlertView, b: AlertView): number => a.startsAt.localeCompare(b.startsAt) || a.fingerprint.localeCompare(b.fingerprint);

// Pure: folds a group's pending transitions into its next message (Alertmanager's flush).
// Without a group wait every transition is announced: one transition per alert per message,
// so a RESOLVED goes in the message after its FIRING. With a group wait, an alert that fired
// and resolved before any message named it is announced only as resolved (as before grouping).
export function planGroupFlush(input: GroupPlanInput): GroupPlan {
  const announced: Record<string, AlertView> = { ...input.announced };
  const statuses: GroupPlan['statuses'] = new Map();
  const taken = new Set<string>();
  const blocked = new Set<string>();
  const unannouncedFiring = new Map<string, string>();
  const resolved = new Map<string, AlertView>();
  const added = new Set<string>();
  let deferred = 0;
  for (const m of input.members) {
    const fp = m.alert.fingerprint;
    if (blocked.has(fp) || (taken.has(fp) && input.groupWaitSeconds === 0)) {
      blocked.add(fp);
      deferred++;
      continue;
    }
    taken.add(fp);
    if (m.kind === 'firing') {
      if (!(fp in input.announced)) {
        added.add(fp);
        unannouncedFiring.set(fp, m.id);
      }
      announced[fp] = m.alert;
      statuses.set(m.id, 'grouped');
      continue;
    }
    delete announced[fp];
    const firingId = unannouncedFiring.get(fp);
    if (firingId !== undefined) {
      statuses.set(firingId, 'superseded');
      unannouncedFiring.delete(fp);
      added.delete(fp);
    }
    if (input.sendResolved) {
      resolved.set(fp, m.alert);
      statuses.set(m.id, 'grouped');
    } else {
      statuses.set(m.id, 'muted');
    }
  }
  const firing = Object.values(announced).sort(byStart);
  const changed = added.size > 0 || resolved.size > 0;
  const message =
    changed || (input.repeatDue && firing.length > 0)
      ? { firing, resolved: [...resolved.values()].sort(byStart), added: [...added], repeat: !changed }
      : null;
  return { statuses, deferred, announced, message };
}
