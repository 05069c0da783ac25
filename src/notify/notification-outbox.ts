import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AlertTransition } from '../alerts/alert.types.js';
import { GrafanaAnnotations } from './grafana/grafana-annotations.service.js';
import { groupKey, groupLabels } from './grouping/group-labels.js';
import type { NotifyRoute } from './notify-route.js';
import { NotifyRouter } from './notify-router.js';
import { NotifyGroupsStore } from './storage/notify-groups.store.js';
import { NotifyStore, type NewOutboxRow } from './storage/notify.store.js';

/** One key per (alert episode, transition, receiver): the queue job id and the delivery record. */
export const dedupKey = (alertId: string, kind: string, routeKey: string): string => `${alertId}.${kind}.${routeKey}`;

/** Alertmanager groups by itself and needs every alert: only Slack and webhook routes group. */
export const groups = (route: NotifyRoute): boolean => route.channel !== 'alertmanager';

// The alert lifecycle's entry point: call enqueue() with the EntityManager of the transaction
// that changes the alert's state. Both commit together or not at all; the relay does the rest.
@Injectable()
export class NotificationOutbox {
  // Groups already marked in a transaction: a storm's 500 transitions touch their group once.
  private readonly touched = new WeakMap<EntityManager, Map<string, string>>();

  constructor(
    private readonly router: NotifyRouter,
    private readonly store: NotifyStore,
    private readonly groupsStore: NotifyGroupsStore,
    private readonly annotations: GrafanaAnnotations,
  ) {}

  /** Returns how many notifications were written (0 when no route matches or already written). */
  async enqueue(manager: EntityManager, transition: AlertTransition): Promise<number> {
    const { alert } = transition;
    const now = Date.now();
    const rows: NewOutboxRow[] = [];
    for (const route of this.router.match(alert)) {
      const labels = groups(route) ? groupLabels(route.groupBy, alert) : null;
      rows.push({
        id: randomUUID(),
        dedupKey: dedupKey(alert.id, transition.transition, route.key),
        alert,
        kind: transition.transition,
        routeKey: route.key,
        channel: route.channel,
        eventAt: new Date(transition.atMs),
        // A grouped transition waits for its group's flush, which applies the route's group
        // wait and sendResolved; the group row is marked in this same transaction.
        groupId: labels ? await this.groupOf(manager, transition, route.key, labels, now) : null,
        // A resolve the route does not want is still written (muted): it ends the reminders.
        status: !labels && transition.transition === 'resolved' && !route.sendResolved ? 'muted' : 'pending',
        // The group wait lets a flapping alert resolve before anyone is paged for it.
        notBefore: new Date(transition.transition === 'firing' ? now + route.groupWaitSeconds * 1000 : now),
      });
    }
    const written = rows.length > 0 ? await this.store.insert(manager, rows) : 0;
    await this.annotations.alertTransition(manager, transition);
    return written;
  }

  // A RESOLVED goes to the group that announced its FIRING, even if the alert's labels (or the
  // route's groupBy) changed meanwhile: otherwise that group would remind of it forever.
  private async groupOf(manager: EntityManager, t: AlertTransition, routeKey: string, labels: Record<string, string>, now: number): Promise<string> {
    if (t.transition === 'resolved') {
      const id = await this.groupsStore.groupOfFiring(manager, t.alert.id, routeKey, new Date(now));
      if (id) return id;
    }
    return this.touch(manager, routeKey, labels, now);
  }

  private async touch(manager: EntityManager, routeKey: string, labels: Record<string, string>, now: number): Promise<string> {
    const key = groupKey(labels);
    let seen = this.touched.get(manager);
    if (!seen) this.touched.set(manager, (seen = new Map<string, string>()));
    let id = seen.get(`${routeKey}.${key}`);
    if (id === undefined) {
      id = await this.groupsStore.touch(manager, routeKey, key, labels, new Date(now));
      seen.set(`${routeKey}.${key}`, id);
    }
    return id;
  }
}
