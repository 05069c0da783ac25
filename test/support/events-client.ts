// Small HTTP helpers for tests that post deploy events and read rollouts.
export interface PostResult {
  status: number;
  body: { accepted?: number; duplicates?: number; rollouts?: string[]; error?: string; message?: string };
}

export async function postEvents(baseUrl: string, payload: unknown, contentType = 'application/json'): Promise<PostResult> {
  const res = await fetch(`${baseUrl}/api/v1/deploy-events`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return { status: res.status, body: (await res.json()) as PostResult['body'] };
}

export async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}
