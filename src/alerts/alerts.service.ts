import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { AnalysisResult } from '../analysis/analysis.types.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { NotificationOutbox } from '../notify/notification-outbox.js';
import { TransactionRunner } from '../storage/transaction-runner.js';
import { stepLifecycle, type AlertRecord, type LifecycleOptions } from './alert-lifecycle.js';
import { conditionFromFinding, recordToView } from './alert-record.mapper.js';
import type { AlertView } from './alert.types.js';
import { AlertsRepository, type AlertQuery } from './alerts.repository.js';

// Turns each evaluation's findings into alert state. The state change and its notifications
// are written in one transaction; the in-memory set of open alerts changes only after commit,
// so a failed write is retried on the next evaluation instead of being lost.
@Injectable()
export class AlertsService implements OnModuleInit {
  private readonly logger = new Logger('alerts');
  private open = new Map<string, AlertRecord>();
  /** open alerts loaded at start whose condition has not been seen by this process yet */
  private restored = new Set<string>();
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
    this.open = new Map((await this.repository.loadOpen()).map((r) => [r.fingerprint, r]));
    this.restored = new Set(this.open.keys());
  }

  openAlerts(): AlertRecord[] {
    return [...this.open.values()];
  }

  /**
   * Applies one evaluation; returns the transitions it caused. `warmingUp`: the signal
   * windows are still refilling after a start, so alerts restored from before it must not
   * resolve yet.
   */
  async apply(result: AnalysisResult, warmingUp = false): Promise<{ record: AlertRecord; transition: 'firing' | 'resolved' }[]> {
    const conditions = result.findings.map((f) => conditionFromFinding(f, { runbookUrl: this.runbookUrl }));
    for (const c of conditions) this.restored.delete(c.fingerprint);
    const holdOpen = warmingUp ? this.restored : undefined;
    const step = stepLifecycle([...this.open.values()], conditions, result.evaluatedAt, { ...this.options, holdOpen }, randomUUID);
    if (step.changed.length === 0) return [];
    await this.transactions.run(async (manager) => {
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
