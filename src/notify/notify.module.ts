import { Inject, Injectable, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { ReplicaCoordinator } from '../replicas/replica-coordinator.js';
import { RolloutsModule } from '../rollouts/rollouts.module.js';
import { AnnotationSender } from './grafana/annotation-sender.js';
import { GrafanaAnnotations } from './grafana/grafana-annotations.service.js';
import { GroupFlusher } from './grouping/group-flusher.js';
import { NotificationOutbox } from './notification-outbox.js';
import { NotificationSender } from './notification-sender.js';
import { NotificationsController } from './notifications.controller.js';
import { NotifyMetrics } from './notify.metrics.js';
import { NotifyRouter } from './notify-router.js';
import { NOTIFICATION_QUEUE } from './notify.tokens.js';
import { OutboxRelay } from './outbox-relay.js';
import { BullmqNotificationQueue } from './queue/bullmq.queue.js';
import { InProcessNotificationQueue } from './queue/in-process.queue.js';
import type { NotificationQueue } from './queue/notification-queue.js';
import { NotifyGroupsStore } from './storage/notify-groups.store.js';
import { NotifyStore } from './storage/notify.store.js';

function createQueue(config: AppConfig): NotificationQueue {
  const n = config.notify;
  if (config.redisUrl) {
    return new BullmqNotificationQueue({ redisUrl: config.redisUrl, prefix: n.queuePrefix, concurrency: n.concurrency, retryBaseMs: n.retryBaseMs, retryMaxMs: n.retryMaxMs });
  }
  return new InProcessNotificationQueue(n.concurrency, n);
}

// Starts the senders and the relay once the app is up, and stops them before storage closes
// (onModuleDestroy runs before TypeORM's shutdown hook): sends in flight finish and are recorded.
// Only the leader relays the outbox (replicas); every replica's senders work the queue.
@Injectable()
class NotifyLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | null = null;
  private switching: Promise<void> = Promise.resolve();

  constructor(
    @Inject(NOTIFICATION_QUEUE) private readonly queue: NotificationQueue,
    private readonly sender: NotificationSender,
    private readonly relay: OutboxRelay,
    private readonly replicas: ReplicaCoordinator,
  ) {}

  onApplicationBootstrap(): void {
    this.queue.start(this.sender.handle);
    this.subscription = this.replicas.leadership.subscribe((leader) => {
      this.switching = this.switching.then(() => (leader ? this.relay.start() : this.relay.stop()));
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.switching;
    this.sender.stop();
    await this.relay.stop();
    await this.queue.close();
  }
}

@Module({
  imports: [RolloutsModule],
  controllers: [NotificationsController],
  providers: [
    { provide: NOTIFICATION_QUEUE, useFactory: createQueue, inject: [APP_CONFIG] },
    NotifyStore,
    NotifyGroupsStore,
    GroupFlusher,
    GrafanaAnnotations,
    AnnotationSender,
    NotifyRouter,
    NotifyMetrics,
    NotificationOutbox,
    NotificationSender,
    OutboxRelay,
    NotifyLifecycle,
  ],
  exports: [NotificationOutbox, GrafanaAnnotations],
})
export class NotifyModule {}
