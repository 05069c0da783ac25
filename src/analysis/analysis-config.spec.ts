import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configSchema } from '../config/config.schema.js';
import { analysisConfigFrom, DEFAULT_ANALYSIS_CONFIG } from './analysis-config.js';

describe('analysisConfigFrom', () => {
  it('takes the app config thresholds and per-cluster overrides over the defaults', () => {
    const app = configSchema.parse({ analysis: { headroom: 0.7, cacheTtlSeconds: 600 }, clusters: { 'prod-a': { cacheTtlSeconds: 300, capacitySeats: 1200 } } });
    const config = analysisConfigFrom(app);
    assert.equal(config.headroom, 0.7);
    assert.equal(config.cacheTtlSeconds, 600);
    assert.equal(config.clusters['prod-a']?.cacheTtlSeconds, 300);
    assert.equal(config.overloadUtilization, DEFAULT_ANALYSIS_CONFIG.overloadUtilization);
  });

  it('gives the documented defaults for an empty config', () => {
    const config = analysisConfigFrom(configSchema.parse({}));
    assert.equal(config.headroom, 0.8);
    assert.equal(config.cacheTtlSeconds, 1200);
    assert.equal(config.dnsVisibleThreshold, 0.01);
    assert.equal(config.defaultCapacitySeats, 600);
  });
});
