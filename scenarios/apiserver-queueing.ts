// API-server queueing model. Work is measured in busy seats (Little's law: arrivals/s ×
// mean seconds in service); utilisation = demanded seats / nominal seats.

/** mean time a request waits in an APF queue (s); ~0 until ρ≈0.85, capped at the 15 s queue limit */
export function queueWaitSeconds(utilisation: number): number {
  const rho = Math.max(0, utilisation);
  const base = 0.05;
  return Math.min(15, (base * rho ** 20) / Math.max(1 - rho, 0.02));
}

/** share of arrivals APF rejects with 429: whatever exceeds the seats once queues are full */
export function rejectRatio(utilisation: number): number {
  return utilisation > 1 ? 1 - 1 / utilisation : 0;
}

/** requests waiting in queues (Little's law again), bounded by the queue length limits */
export function queuedRequests(arrivalsPerSecond: number, utilisation: number, queueLimit: number): number {
  return Math.min(queueLimit, arrivalsPerSecond * (1 - rejectRatio(utilisation)) * queueWaitSeconds(utilisation));
}
