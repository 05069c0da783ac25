import { z } from 'zod';
import { DEPLOY_EVENT_TYPES } from './rollout.types.js';

export interface DeployEventLimits {
  maxEventsPerRequest: number;
  maxClustersPerEvent: number;
  maxFieldLength: number;
  maxWavesPerPlan: number;
}

const needsWave = new Set<string>(['wave_started', 'wave_completed', 'cluster_started', 'cluster_completed', 'cluster_failed']);

// The wire shape of one deploy event (DESIGN §3). Unknown fields are ignored so that senders
// may add their own; limits come from config.events.
export function deployEventSchema(limits: DeployEventLimits) {
  const name = z.string().min(1).max(limits.maxFieldLength);
  const clusters = z.array(name).max(limits.maxClustersPerEvent);
  return z
    .object({
      eventId: name.optional(),
      type: z.enum(DEPLOY_EVENT_TYPES),
      rolloutId: name,
      service: name.nullish(),
      version: name.nullish(),
      wave: name.nullish(),
      clusters: clusters.nullish(),
      plan: z
        .array(z.object({ wave: name, clusters: clusters.min(1) }))
        .min(1)
        .max(limits.maxWavesPerPlan)
        .nullish(),
      at: z.iso.datetime({ offset: true }).optional(),
    })
    .superRefine((e, ctx) => {
      if (needsWave.has(e.type) && !e.wave) {
        ctx.addIssue({ code: 'custom', path: ['wave'], message: `required for ${e.type}` });
      }
      if (e.plan && e.type !== 'rollout_started') {
        ctx.addIssue({ code: 'custom', path: ['plan'], message: 'only allowed on rollout_started' });
      }
      const seen = new Set<string>();
      e.plan?.forEach((p, i) => {
        if (seen.has(p.wave)) ctx.addIssue({ code: 'custom', path: ['plan', i, 'wave'], message: `wave "${p.wave}" is listed twice` });
        seen.add(p.wave);
      });
    });
}

export type DeployEventInput = z.infer<ReturnType<typeof deployEventSchema>>;
