// Every TypeORM entity of the application. The drift test compares them with migrations/.
import type { EntitySchema } from 'typeorm';
import { AlertEntity } from '../alerts/alert.entity.js';
import { NotificationAttemptEntity } from '../notify/storage/notification-attempt.entity.js';
import { NotificationOutboxEntity } from '../notify/storage/notification-outbox.entity.js';
import { NotifyGroupEntity } from '../notify/storage/notify-group.entity.js';
import { EvaluationStateEntity } from '../replicas/evaluation-state.entity.js';
import { DeployEventEntity } from '../rollouts/deploy-event.entity.js';
import { SignalPointEntity } from '../signals/history/signal-point.entity.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
export const entities: Array<Function | EntitySchema> = [AlertEntity, DeployEventEntity, NotificationOutboxEntity, NotificationAttemptEntity, SignalPointEntity, NotifyGroupEntity, EvaluationStateEntity];
