import type { IncomingHttpHeaders } from 'node:http';

export type Credential =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'none'; readonly hint?: string }
  | { readonly kind: 'malformed'; readonly reason: string };

const BEARER = /^Bearer +([^\s]+) *$/i;
const BASIC = /^Basic +([A-Za-z0-9+/=]+) *$/i;

// The token from `Authorization: Bearer`, from the password of HTTP Basic (any user name,
// as Prometheus' basic_auth sends it), or from ?token= where the route allows it. The
// header wins over the query.
export function requestCredential(headers: IncomingHttpHeaders, queryToken: unknown, allowQuery: boolean): Credential {
  const header = headers.authorization;
  if (header !== undefined) return fromHeader(header);
  if (queryToken === undefined) return { kind: 'none' };
  if (!allowQuery) return { kind: 'none', hint: '?token= is not accepted on this route' };
  if (typeof queryToken !== 'string' || queryToken === '') return { kind: 'malformed', reason: '?token= must be given once' };
  return { kind: 'token', token: queryToken };
}

function fromHeader(header: string): Credential {
  const bearer = BEARER.exec(header);
  if (bearer) return { kind: 'token', token: bearer[1]! };
  const basic = BASIC.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) return { kind: 'token', token: decoded.slice(colon + 1) };
  }
  return { kind: 'malformed', reason: 'malformed Authorization header: expected "Bearer <token>" or "Basic <base64 of user:token>"' };
}
