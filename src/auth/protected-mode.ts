import { isIP } from 'node:net';
import type { AppConfig } from '../config/config.schema.js';

// Redis-style protected mode: without any token, wavewatch listens on loopback only, unless
// WAVEWATCH_AUTH=none says that is intended (e.g. a trusted proxy in front).

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const v4 = h.startsWith('::ffff:') && isIP(h.slice(7)) === 4 ? h.slice(7) : h;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return isIP(h) === 6 && /^(0{0,4}:){7}0{0,3}1$|^::1$/.test(h);
}

/** Why the service must not listen on `host` with this configuration, or undefined. */
export function protectedModeRefusal(config: Pick<AppConfig, 'auth'>, host: string): string | undefined {
  if (config.auth.tokens.length > 0 || config.auth.mode === 'none' || isLoopbackHost(host)) return undefined;
  return (
    `protected mode: no API token is configured and HOST=${host || '(all interfaces)'} is not a loopback address, ` +
    'so anyone who reaches the port could push metrics and move the gate. ' +
    'Configure auth.tokens in the WAVEWATCH_CONFIG file (or WAVEWATCH_API_TOKENS), listen on 127.0.0.1, ' +
    'or set WAVEWATCH_AUTH=none to run without authentication on purpose.'
  );
}
