import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../ops/metrics.tokens.js';
import { NOTIFY_CHANNELS, type NotifyChannel } from './notify-route.js';
import { NOTIFICATION_QUEUE } from './notify.tokens.js';
import type { NotificationQueue } from './queue/notification-queue.js';
import { NotifyStore } from './storage/notify.store.js';

export const NOTIFY_OUTCOMES = ['delivered', 'retried', 'failed', 'duplicate', 'superseded'] as const;
export type NotifyOutcome = (typeof NOTIFY_OUTCOMES)[number];

// Grafana annotations are delivered like notifications but are not a route channel.
const CHANNELS: readonly string[] = [...NOTIFY_CHANNELS, 'grafana'];
const asChannel = (channel: string): NotifyChannel | 'grafana' => (CHANNELS.includes(channel) ? (channel as NotifyChannel) : 'webhook');

@Injectable()
export class NotifyMetrics {
  private readonly notifications: Counter<'channel' | 'outcome'>;
  private readonly deliverySeconds: Histogram<'channel'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, store: NotifyStore, @Inject(NOTIFICATION_QUEUE) queue: NotificationQueue) {
    this.notifications = new Counter({
      name: 'wavewatch_notifications_total',
      help: 'Notification sends by channel and outcome (delivered, retried, failed, duplicate skipped, superseded).',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    });
    this.deliverySeconds = new Histogram({
      name: 'wavewatch_notification_delivery_seconds',
      help: 'Time from the outbox write to the receiver accepting the notification.',
      labelNames: ['channel'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers: [registry],
    });
    for (const channel of CHANNELS) {
      for (const outcome of NOTIFY_OUTCOMES) this.notifications.inc({ channel, outcome }, 0);
      this.deliverySeconds.zero({ channel });
    }
    new Gauge({
      name: 'wavewatch_notify_outbox_depth',
      help: 'Notifications in the outbox not yet delivered or given up (pending, queued, sending).',
      registers: [registry],
      async collect() {
        try {
          this.set(await store.openCount());
        } catch {
          // database unreachable: keep the last value rather than fail the whole scrape
        }
      },
    });
    new Gauge({
      name: 'wavewatch_notify_queue_depth',
      help: 'Notification jobs waiting, delayed or active in the queue.',
      registers: [registry],
      async collect() {
        const depth = await queue.depth();
        if (depth !== null) this.set(depth);
      },
    });
  }

  count(channel: string, outcome: NotifyOutcome): void {
    this.notifications.inc({ channel: asChannel(channel), outcome });
  }

  delivered(channel: string, sinceOutboxWriteMs: number): void {
    this.count(channel, 'delivered');
    this.deliverySeconds.observe({ channel: asChannel(channel) }, Math.max(0, sinceOutboxWriteMs) / 1000);
  }
}
