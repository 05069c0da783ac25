import { execFile } from 'node:child_process';

// Each deploy tool's own reading of an answer, as its source decides it (see
// /work/shared/deploy-tools.md): the tests judge wavewatch's answers with these.

/** Flagger pkg/controller/webhook.go: `if r.StatusCode > 202 { return error }`. */
export const flaggerSucceeds = (status: number): boolean => status <= 202;

export type ArgoMeasurement = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/**
 * Argo Rollouts web provider (metricproviders/webmetric/webmetric.go): a non-2xx is an Error;
 * otherwise the jsonPath value is `result`, and utils/evaluate/evaluate.go applies
 * successCondition, then failureCondition; neither true with both set = Inconclusive.
 * Conditions of the form `result == "x"` are the only ones the shipped template uses.
 */
export function argoMeasurement(status: number, body: unknown, jsonPath: string, successCondition: string, failureCondition: string): ArgoMeasurement {
  if (status < 200 || status >= 300) return 'Error';
  const path = /^\{\$\.(\w+)\}$/.exec(jsonPath);
  if (!path) throw new Error(`unsupported jsonPath ${jsonPath}`);
  const result = (body as Record<string, unknown>)[path[1]!];
  const holds = (condition: string): boolean => {
    const m = /^result == "([^"]*)"$/.exec(condition.trim());
    if (!m) throw new Error(`unsupported condition ${condition}`);
    return result === m[1];
  };
  if (holds(successCondition)) return 'Successful';
  if (holds(failureCondition)) return 'Failed';
  return 'Inconclusive';
}

export type SpinnakerStageStatus = 'SUCCEEDED' | 'CANCELED' | 'TERMINAL' | 'RUNNING';

/**
 * spinnaker/orca MonitorWebhookTask: the statusJsonPath value, upper-cased, is looked up in
 * successStatuses, canceledStatuses, terminalStatuses (comma-separated); none = RUNNING
 * (keep polling). 5xx and 429 are retried (RUNNING); other 4xx fail the stage.
 */
export function spinnakerStatus(
  status: number,
  body: unknown,
  stage: { statusJsonPath: string; successStatuses: string; canceledStatuses: string; terminalStatuses: string },
): SpinnakerStageStatus {
  if (status >= 500 || status === 429) return 'RUNNING';
  if (status >= 400) return 'TERMINAL';
  const path = /^\$\.(\w+)$/.exec(stage.statusJsonPath);
  if (!path) throw new Error(`unsupported statusJsonPath ${stage.statusJsonPath}`);
  const value = String((body as Record<string, unknown>)[path[1]!]).toUpperCase();
  const list = (s: string): string[] => s.split(',').map((x) => x.trim().toUpperCase()).filter(Boolean);
  if (list(stage.successStatuses).includes(value)) return 'SUCCEEDED';
  if (list(stage.canceledStatuses).includes(value)) return 'CANCELED';
  if (list(stage.terminalStatuses).includes(value)) return 'TERMINAL';
  return 'RUNNING';
}

export interface ShellResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a shipped shell recipe (real curl) with the given environment. */
export function runShell(script: string, env: Record<string, string>, shell: 'sh' | 'bash' = 'sh'): Promise<ShellResult> {
  return new Promise((resolve) => {
    execFile(shell, ['-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
