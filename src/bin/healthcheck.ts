// Container HEALTHCHECK: exits 0 when /readyz answers 200, else 1.
// Usage: node dist/src/bin/healthcheck.js [url]   (default http://127.0.0.1:8080/readyz)
const url = process.argv[2] ?? 'http://127.0.0.1:8080/readyz';

try {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (res.status !== 200) process.stderr.write(`healthcheck: ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}\n`);
  process.exitCode = res.status === 200 ? 0 : 1;
} catch (error) {
  process.stderr.write(`healthcheck: ${url}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
