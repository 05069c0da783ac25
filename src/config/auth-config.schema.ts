import { readFileSync } from 'node:fs';
import { z } from 'zod';

// auth: { mode, tokens: [{ name, token | tokenFile, scopes }], protectMetrics }.
// A tokenFile is read here, once, while the configuration is loaded: a missing or empty
// file stops start-up naming the key instead of leaving a route that nobody can call.

export const AUTH_SCOPES = ['metrics:write', 'events:write', 'read', 'admin'] as const;
export const MIN_TOKEN_LENGTH = 16;
// Request-counter label values for requests without a known token; no token may take them.
export const RESERVED_TOKEN_NAMES = ['anonymous', 'invalid'] as const;

const tokenEntry = z
  .object({
    // becomes a metric label value: short and plain
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'expected 1 to 64 letters, digits, "_", ".", ":" or "-"'),
    token: z.string().min(MIN_TOKEN_LENGTH).optional(),
    tokenFile: z.string().min(1).optional(),
    scopes: z.array(z.enum(AUTH_SCOPES)).min(1),
  })
  .superRefine((entry, ctx) => {
    if ((entry.token === undefined) === (entry.tokenFile === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'set exactly one of token and tokenFile' });
    }
    if ((RESERVED_TOKEN_NAMES as readonly string[]).includes(entry.name)) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: `"${entry.name}" is reserved for requests without a known token` });
    }
  })
  .transform((entry, ctx) => {
    const secret = entry.token ?? readTokenFile(entry.tokenFile ?? '', ctx);
    return { name: entry.name, secret, scopes: [...new Set(entry.scopes)] };
  });

function readTokenFile(path: string, ctx: z.RefinementCtx): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    ctx.addIssue({ code: 'custom', path: ['tokenFile'], message: `cannot read ${path}: ${(error as Error).message}` });
    return '';
  }
  // secret files usually end with a newline (echo, kubectl create secret --from-file)
  const token = text.trim();
  if (token.length < MIN_TOKEN_LENGTH) {
    const what = token.length === 0 ? 'is empty' : `holds fewer than ${MIN_TOKEN_LENGTH} characters`;
    ctx.addIssue({ code: 'custom', path: ['tokenFile'], message: `${path} ${what}` });
  }
  return token;
}

export const authConfig = z
  .object({
    // "none" turns authentication off on purpose, e.g. behind a trusted proxy (WAVEWATCH_AUTH=none)
    mode: z.enum(['tokens', 'none']).default('tokens'),
    tokens: z.array(tokenEntry).default([]),
    // /metrics needs a `read` token when true
    protectMetrics: z.boolean().default(false),
  })
  .superRefine((auth, ctx) => {
    const names = new Set<string>();
    const secrets = new Map<string, string>();
    auth.tokens.forEach((t, i) => {
      if (names.has(t.name)) ctx.addIssue({ code: 'custom', path: ['tokens', i, 'name'], message: `duplicate token name "${t.name}"` });
      names.add(t.name);
      const other = secrets.get(t.secret);
      if (other !== undefined && t.secret !== '') {
        ctx.addIssue({ code: 'custom', path: ['tokens', i], message: `tokens "${other}" and "${t.name}" have the same secret` });
      }
      secrets.set(t.secret, t.name);
    });
    if (auth.mode === 'none' && auth.tokens.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['mode'], message: 'WAVEWATCH_AUTH=none (auth.mode "none") contradicts the configured auth.tokens; remove one' });
    }
  });

export type AuthConfig = z.infer<typeof authConfig>;
export type AuthTokenConfig = AuthConfig['tokens'][number];
