import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALERT_NAMES, type AlertName, type Severity } from '../src/alerts/alert.types.js';
import type { AlertName as AnalysisAlertName, Severity as AnalysisSeverity } from '../src/analysis/analysis.types.js';

// src/analysis may not import src/alerts, so it repeats the two unions; these lines stop
// compiling when either side changes without the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesAgree: Same<AlertName, AnalysisAlertName> = true;
const severitiesAgree: Same<Severity, AnalysisSeverity> = true;

describe('analysis ↔ alert contract', () => {
  it('uses exactly the alert names and severities of the alert contract', () => {
    assert.equal(namesAgree, true);
    assert.equal(severitiesAgree, true);
    const analysisNames: readonly AnalysisAlertName[] = ALERT_NAMES;
    assert.equal(new Set(analysisNames).size, 6);
  });
});
