import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { AnalysisResult } from '../analysis/analysis.types.js';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { NotificationOutbox } from '../notify/notification-outbox.js';
import { TransactionRunner } from '../storage/transaction-runner.js';
import { stepLifecycle, type AlertRecord, type LifecycleOptions } from './alert-lifecycle.js';
import { conditionFromFinding, recordToView } from './alert-record.mapper.js';
import { unobservedAlerts } from './unobserved-alerts.js';
import type { AlertView } from './alert.types.js';
import { AlertsRepository, type AlertQuery } from './alerts.repository.js';

// Turns each evaluation's findings into alert state. The state change and its notifications
// are written in one transaction; the in-memory set of open alerts changes only after commit,
// so a failed write is retried on the next evaluation instead of being lost.
@Injectable()
export class AlertsService implements OnModuleInit {
  private readonly logger = new Logger('alerts');
  private open = new Map<string, AlertRecord>();
  private readonly options: LifecycleOptions;
  private readonly runbookUrl: string | undefined;

  constructor(
    private readonly repository: AlertsRepository,
    private readonly transactions: TransactionRunner,
    private readonly outbox: NotificationOutbox,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.options = {
      pendingSteps: config.analysis.pendingSteps,
      resolveAfterSteps: config.analysis.resolveAfterSteps,
      minFiringMs: config.analysis.minFiringSeconds * 1000,
    };
    this.runbookUrl = config.notify.runbookUrl;
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  /** open alerts as the database holds them (a follower after the leader's step, a new leader) */
  async reload(): Promise<void> {
    this.open = new Map((await this.repository.loadOpen()).map((r) => [r.fingerprint, r]));
  }

  openAlerts(): AlertRecord[] {
    return [...this.open.values()];
  }

  /**
   * Applies one evaluation; returns the transitions it caused. An alert about a cluster the
   * evaluation could not see (no recent point) is held open: dark is not evidence of clear.
   * `withStep` runs in the same transaction (the replicas' evaluated_through): the step's
   * alerts and its mark commit together or not at all.
   */
  async apply(result: AnalysisResult, withStep?: (manager: EntityManager) => Promise<void>): Promise<{ record: AlertRecord; transition: 'firing' | 'resolved' }[]> {
    const conditions = result.findings.map((f) => conditionFromFinding(f, { runbookUrl: this.runbookUrl }));
    const holdOpen = unobservedAlerts([...this.open.values()], result);
    const step = stepLifecycle([...this.open.values()], conditions, result.evaluatedAt, { ...this.options, holdOpen }, randomUUID);
    if (step.changed.length === 0 && !withStep) return [];
    await this.transactions.run(async (manager) => {
      await withStep?.(manager);
      await this.repository.save(manager, step.changed);
      for (const t of step.transitions) {
        await this.outbox.enqueue(manager, { alert: recordToView(t.record), transition: t.transition, atMs: result.evaluatedAt });
      }
    });
    for (const r of step.changed) {
      if (r.state === 'resolved') this.open.delete(r.fingerprint);
      else this.open.set(r.fingerprint, r);
    }
    for (const t of step.transitions) {
      this.logger.log(`${t.transition} ${t.record.name} rollout=${t.record.rolloutId ?? '-'} clusters=${t.record.clusters.join(',')}`);
    }
    return step.transitions;
  }

  async list(q: AlertQuery): Promise<AlertView[]> {
    return (await this.repository.list(q)).map(recordToView);
  }
}
