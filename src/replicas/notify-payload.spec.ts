import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitsNotify, MAX_NOTIFY_PAYLOAD_BYTES } from './replica-coordinator.js';

describe('NOTIFY payload bound', () => {
  it('counts bytes, not characters: PostgreSQL refuses 8000 bytes whatever the characters', () => {
    assert.ok(fitsNotify('a'.repeat(MAX_NOTIFY_PAYLOAD_BYTES)));
    assert.ok(!fitsNotify('a'.repeat(MAX_NOTIFY_PAYLOAD_BYTES + 1)));
    // 3,000 CJK characters: under the bound in characters, 9,000 bytes in UTF-8
    const cjk = '展'.repeat(3000);
    assert.ok(cjk.length < MAX_NOTIFY_PAYLOAD_BYTES);
    assert.ok(!fitsNotify(cjk));
  });
});
