import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { DeployEventRepository } from '../../rollouts/deploy-event.repository.js';
import { dataSourceOptions, type StorageSettings } from '../../storage/data-source-options.js';
import { parseDeployEvents } from '../../rollouts/parse-deploy-events.js';
import type { DeployEvent } from '../../rollouts/rollout.types.js';

// Deploy events of a backtest: a file of JSON lines (each a POST /api/v1/deploy-events body,
// `at` required), or the events a wavewatch database already holds (DATABASE_URL / dataDir).

const LIMITS = { maxEventsPerRequest: 1000, maxClustersPerEvent: 100_000, maxFieldLength: 1024, maxWavesPerPlan: 10_000 };

export function eventsFromFile(path: string): DeployEvent[] {
  const events: DeployEvent[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let body: unknown;
      try {
        body = JSON.parse(line);
      } catch (error) {
        throw new Error(`${path}:${i + 1}: not JSON: ${(error as Error).message}`, { cause: error });
      }
      if (typeof body === 'object' && body !== null && !Array.isArray(body) && !('at' in body)) throw new Error(`${path}:${i + 1}: "at" is required`);
      try {
        for (const { event } of parseDeployEvents(body, LIMITS, 0)) events.push({ ...event, seq: events.length });
      } catch (error) {
        throw new Error(`${path}:${i + 1}: ${(error as Error).message}`, { cause: error });
      }
    });
  return events;
}

/** every event of the rollouts with an event in [fromMs, toMs] (earlier waves set baselines and fits) */
export async function eventsFromDatabase(settings: StorageSettings, fromMs: number, toMs: number): Promise<DeployEvent[]> {
  const dataSource = new DataSource(dataSourceOptions(settings));
  await dataSource.initialize();
  try {
    const all = await new DeployEventRepository(dataSource).loadAll();
    const touching = new Set(all.filter((e) => e.atMs >= fromMs && e.atMs <= toMs).map((e) => e.rolloutId));
    return all.filter((e) => touching.has(e.rolloutId));
  } finally {
    await dataSource.destroy();
  }
}
