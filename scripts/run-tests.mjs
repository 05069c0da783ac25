#!/usr/bin/env node
// Runs every compiled test file with Node's test runner, shows the spec report, and ends
// with one line "N passed, N failed[, N skipped]". Exit status is non-zero on any failure
// or when no test ran at all.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const tapFile = join(mkdtempSync(join(tmpdir(), 'wavewatch-tests-')), 'report.tap');
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
  '--test-reporter=tap',
  `--test-reporter-destination=${tapFile}`,
  ...files,
];
console.log(`running ${files.length} test files: ${files.map((f) => relative(root, f)).join(' ')}`);
const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
child.on('exit', (code) => {
  const tap = readFileSync(tapFile, 'utf8');
  const count = (key) => Number(tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  const skipped = count('skipped') + count('todo');
  const ran = passed + failed;
  const status = code !== 0 || failed > 0 || ran === 0 ? 1 : 0;
  console.log(`${passed} passed, ${failed + (status && failed === 0 ? 1 : 0)} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(status);
});
