import type { AuthTokenConfig } from '../config/auth-config.schema.js';
import type { AuthScope } from './scope.decorator.js';
import { sameDigest, tokenDigest } from './token-compare.js';

export interface ApiToken {
  readonly name: string;
  readonly scopes: ReadonlySet<AuthScope>;
}

interface StoredToken extends ApiToken {
  readonly digest: Buffer;
}

// The configured tokens; only their digests are kept.
export class ApiTokens {
  private readonly tokens: readonly StoredToken[];

  constructor(configured: readonly AuthTokenConfig[]) {
    this.tokens = configured.map((t) => ({ name: t.name, scopes: new Set<AuthScope>(t.scopes), digest: tokenDigest(t.secret) }));
  }

  get size(): number {
    return this.tokens.length;
  }

  all(): readonly ApiToken[] {
    return this.tokens;
  }

  /** Compares against every token, never stopping at the first match. */
  identify(presented: string): ApiToken | undefined {
    const digest = tokenDigest(presented);
    let found: ApiToken | undefined;
    for (const token of this.tokens) {
      if (sameDigest(digest, token.digest) && found === undefined) found = token;
    }
    return found;
  }
}

export const grants = (token: ApiToken, scope: AuthScope): boolean => token.scopes.has('admin') || token.scopes.has(scope);
