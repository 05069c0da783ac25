import { simulate, tickSeries, type Scenario, type ScrapeTick } from '../../scenarios/index.js';
import type { BacktestFeed } from '../../src/sources/backtest/backtest-runner.js';
import type { SeriesSink } from '../../src/signals/signal.types.js';
import { rolloutItems } from '../../scenarios/index.js';
import type { DeployEvent } from '../../src/rollouts/rollout.types.js';
import { deployEventOf } from './simulated-deploy-event.js';

/** push mode in-process: the simulator's scrapes appended to a signal store as remote_write would */
export class PushFeed implements BacktestFeed {
  private readonly ticks: Iterator<ScrapeTick>;
  private pending: ScrapeTick | undefined;

  constructor(
    scenario: Scenario,
    private readonly sink: SeriesSink,
  ) {
    this.ticks = scrapes(scenario);
  }

  feedUntil(tMs: number): Promise<void> {
    for (;;) {
      if (!this.pending) {
        const next = this.ticks.next();
        if (next.done) break;
        this.pending = next.value;
      }
      if (this.pending.atMs >= tMs) break;
      this.sink.append(tickSeries(this.pending));
      this.pending = undefined;
    }
    return Promise.resolve();
  }
}

export function* scrapes(scenario: Scenario): Generator<ScrapeTick> {
  for (const item of simulate(scenario)) if (item.kind === 'scrape') yield item;
}

/** the scenario's deploy events as the deploy-event store would hold them */
export function scenarioEvents(scenario: Scenario): DeployEvent[] {
  const events: DeployEvent[] = [];
  for (const item of rolloutItems(scenario)) if (item.kind === 'deploy') events.push(deployEventOf(item.event, item.atMs, events.length));
  return events;
}
