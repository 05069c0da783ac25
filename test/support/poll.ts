/** asks `probe` four times a second until it answers, failing after `seconds` */
export async function poll<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  for (let waited = 0; waited < seconds * 4; waited++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${seconds} s waiting for ${what}`);
}
