import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AlertTransition } from '../alerts/alert.types.js';
import { NotifyRouter } from './notify-router.js';
import { NotifyStore, type NewOutboxRow } from './storage/notify.store.js';

/** One key per (alert episode, transition, receiver): the queue job id and the delivery record. */
export const dedupKey = (alertId: string, kind: string, routeKey: string): string => `${alertId}.${kind}.${routeKey}`;

// The alert lifecycle's entry point: call enqueue() with the EntityManager of the transaction
// that changes the alert's state. Both commit together or not at all; the relay does the rest.
@Injectable()
export class NotificationOutbox {
  constructor(
    private readonly router: NotifyRouter,
    private readonly store: NotifyStore,
  ) {}

  /** Returns how many notifications were written (0 when no route matches or already written). */
  async enqueue(manager: EntityManager, transition: AlertTransition): Promise<number> {
    const { alert } = transition;
    const now = Date.now();
    const rows: NewOutboxRow[] = this.router.match(alert).map((route) => ({
      id: randomUUID(),
      dedupKey: dedupKey(alert.id, transition.transition, route.key),
      alert,
      kind: transition.transition,
      routeKey: route.key,
      channel: route.channel,
      eventAt: new Date(transition.atMs),
      // A resolve the route does not want is still written (muted): it ends the reminders.
      status: transition.transition === 'resolved' && !route.sendResolved ? 'muted' : 'pending',
      // The group wait lets a flapping alert resolve before anyone is paged for it.
      notBefore: new Date(transition.transition === 'firing' ? now + route.groupWaitSeconds * 1000 : now),
    }));
    if (rows.length === 0) return 0;
    return this.store.insert(manager, rows);
  }
}
