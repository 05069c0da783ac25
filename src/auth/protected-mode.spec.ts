import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackHost, protectedModeRefusal } from './protected-mode.js';

const auth = (mode: 'tokens' | 'none', tokens = 0): { auth: { mode: 'tokens' | 'none'; protectMetrics: boolean; tokens: { name: string; secret: string; scopes: 'read'[] }[] } } => ({
  auth: { mode, protectMetrics: false, tokens: Array.from({ length: tokens }, (_, i) => ({ name: `t${i}`, secret: `secret-${i}-0123456789`, scopes: ['read'] })) },
});

describe('protected mode', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['0.0.0.0', '::', '', '10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1', 'wavewatch', 'example.com', '128.0.0.1', '::2']) assert.equal(isLoopbackHost(host), false, host);
  });

  it('refuses a non-loopback listener only when no token is configured and auth is not "none"', () => {
    assert.match(protectedModeRefusal(auth('tokens'), '0.0.0.0') ?? '', /auth\.tokens.*WAVEWATCH_AUTH=none/);
    assert.match(protectedModeRefusal(auth('tokens'), '') ?? '', /HOST=\(all interfaces\)/);
    assert.equal(protectedModeRefusal(auth('tokens', 1), '0.0.0.0'), undefined);
    assert.equal(protectedModeRefusal(auth('none'), '0.0.0.0'), undefined);
    assert.equal(protectedModeRefusal(auth('tokens'), '127.0.0.1'), undefined);
    assert.equal(protectedModeRefusal(auth('tokens'), '::1'), undefined);
  });
});
