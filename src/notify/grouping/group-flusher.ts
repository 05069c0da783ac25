import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '../../storage/transaction-runner.js';
import type { NotifyRoute } from '../notify-route.js';
import { NotifyRouter } from '../notify-router.js';
import type { OutboxStatus } from '../storage/notification-outbox.entity.js';
import { NotifyGroupsStore, type GroupRow } from '../storage/notify-groups.store.js';
import type { GroupMessage } from './group-message.js';
import { planGroupFlush } from './group-plan.js';

const BATCH = 200;

type Due = 'change' | 'repeat' | null;

// When a group may send: its first message groupWait after its first news, later ones no
// sooner than groupInterval after the previous message, reminders every repeat interval.
export function groupDue(g: GroupRow, route: NotifyRoute, repeatSeconds: number, nowMs: number): Due {
  if (g.pendingSince) {
    const fresh = g.active === 0 || g.lastSentAt === null;
    const at = fresh ? g.pendingSince.getTime() + route.groupWaitSeconds * 1000 : g.lastSentAt!.getTime() + route.groupIntervalSeconds * 1000;
    if (nowMs >= at) return 'change';
  }
  if (g.active > 0 && g.lastSentAt && Number.isFinite(repeatSeconds) && nowMs >= g.lastSentAt.getTime() + repeatSeconds * 1000) return 'repeat';
  return null;
}

// Turns due groups into messages. Each flush is one transaction under the group's row lock:
// the message row, its members' new status and the group's state commit together, so a crash
// repeats the flush instead of losing or doubling it, and concurrent relays take turns.
@Injectable()
export class GroupFlusher {
  constructor(
    private readonly groups: NotifyGroupsStore,
    private readonly router: NotifyRouter,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Returns how many messages were written. */
  async flushDue(nowMs = Date.now()): Promise<number> {
    let written = 0;
    for (const candidate of await this.groups.candidates(this.router.routes.map((r) => r.key), BATCH)) {
      const route = this.router.route(candidate.routeKey);
      if (!route || groupDue(candidate, route, this.router.repeatSeconds(route), nowMs) === null) continue;
      if (await this.transactions.run((manager) => this.flush(manager, candidate.id, route, nowMs))) written++;
    }
    return written;
  }

  private async flush(manager: EntityManager, id: string, route: NotifyRoute, nowMs: number): Promise<boolean> {
    const locked = await this.groups.lock(manager, id);
    if (!locked) return false;
    const { group, announced } = locked;
    const due = groupDue(group, route, this.router.repeatSeconds(route), nowMs);
    if (due === null || (await this.groups.hasOpenMessage(manager, id))) return false;
    const members = await this.groups.pendingMembers(manager, id);
    const plan = planGroupFlush({ announced, members, groupWaitSeconds: route.groupWaitSeconds, sendResolved: route.sendResolved, repeatDue: due === 'repeat' });
    const now = new Date(nowMs);
    let messageId: string | null = null;
    let version = group.version;
    if (plan.message) {
      version += 1;
      const message: GroupMessage = { groupKey: group.groupKey, groupLabels: group.labels, version, ...plan.message };
      messageId = await this.groups.insertMessage(manager, group, route.channel, message, now);
    }
    const byStatus = new Map<OutboxStatus, string[]>();
    for (const [memberId, status] of plan.statuses) {
      // a transition that changed nothing a message would say (a repeated firing) ends here
      const effective = status === 'grouped' && !messageId ? 'superseded' : status;
      byStatus.set(effective, [...(byStatus.get(effective) ?? []), memberId]);
    }
    for (const [status, ids] of byStatus) {
      await this.groups.markMembers(manager, ids, status, status === 'grouped' ? messageId : null);
    }
    await this.groups.update(manager, id, {
      announced: plan.announced,
      version,
      pendingSince: plan.deferred > 0 ? now : null,
      lastSentAt: messageId ? now : group.lastSentAt,
    });
    return messageId !== null;
  }
}
