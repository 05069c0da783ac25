#!/usr/bin/env node
// Runs every compiled test file with Node's test runner, shows the spec report, and ends
// with one line "N passed, N failed[, N skipped]". Exit status is non-zero on any failure
// or when no test ran at all.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.argv[2] ?? 'dist';
const filters = process.argv.slice(3);

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(spec|test)\.js$/.test(name)) out.push(path);
  }
  return out;
}

const files = walk(root)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test files under ${root}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const args = [
  '--enable-source-maps',
  '--test',
  `--test-concurrency=${process.env.TEST_CONCURRENCY ?? '2'}`,
  // A hung test fails after 5 minutes instead of hanging CI; a file whose tests are done
  // exits even if a handle is left open (the leak still shows as a failure elsewhere).
  `--test-timeout=${process.env.TEST_TIMEOUT_MS ?? '300000'}`,
  '--test-force-exit',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  ...files,
];
console.log(`running ${files.length} test files: ${files.map((f) => relative(root, f)).join(' ')}`);
// The spec report is echoed as it comes and its summary lines ("ℹ pass N") are counted.
// (A second reporter writing to a file loses its summary under --test-force-exit.)
const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
let report = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  report += chunk.toString('utf8');
  if (report.length > 1_000_000) report = report.slice(-100_000);
});
child.on('close', (code) => {
  // the runner's own summary ("ℹ pass 12") is the last such line
  const count = (key) => Number([...report.matchAll(new RegExp(`^ℹ ${key} (\\d+)\\s*$`, 'gm'))].at(-1)?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  const skipped = count('skipped') + count('todo');
  const ran = passed + failed;
  const status = code !== 0 || failed > 0 || ran === 0 ? 1 : 0;
  console.log(`${passed} passed, ${failed + (status && failed === 0 ? 1 : 0)} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(status);
});
