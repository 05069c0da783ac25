import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesAll, parseMatchers } from './label-matcher.js';

const labels = (o: Record<string, string>) => Object.entries(o).map(([name, value]) => ({ name, value }));

describe('label matchers', () => {
  it('matches equality, negation and anchored regexes, an absent label as empty', () => {
    const m = parseMatchers({ code: '=~429|5..', verb: '!~WATCH|CONNECT', plugin: '!=cache', resource: 'pods' });
    assert.equal(matchesAll(m, labels({ code: '503', verb: 'GET', resource: 'pods' })), true);
    assert.equal(matchesAll(m, labels({ code: '5030', verb: 'GET', resource: 'pods' })), false);
    assert.equal(matchesAll(m, labels({ code: '429', verb: 'WATCH', resource: 'pods' })), false);
    assert.equal(matchesAll(m, labels({ code: '429', verb: 'GET', resource: 'pods', plugin: 'cache' })), false);
    assert.equal(matchesAll(m, labels({ code: '429', verb: 'GET' })), false);
    assert.equal(matchesAll(parseMatchers({ plugin: '=~.+' }), labels({})), false);
  });
});
