import { SetMetadata } from '@nestjs/common';

export type AuthScope = 'metrics:write' | 'events:write' | 'read' | 'admin';

export interface ScopeRequirement {
  readonly scope: AuthScope | 'public';
  /** accept the token as ?token= (only for tools that cannot send headers: Flagger) */
  readonly queryToken: boolean;
}

export const AUTH_SCOPE = 'wavewatch:auth-scope';

/** The scope a route (or controller) needs; the global AuthGuard enforces it. */
export const Scope = (scope: AuthScope, options: { queryToken?: boolean } = {}): MethodDecorator & ClassDecorator =>
  SetMetadata<string, ScopeRequirement>(AUTH_SCOPE, { scope, queryToken: options.queryToken ?? false });

/** Open route (health probes). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata<string, ScopeRequirement>(AUTH_SCOPE, { scope: 'public', queryToken: false });
