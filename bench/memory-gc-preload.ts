import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Loaded into the memory bench's wavewatch (NODE_OPTIONS=--import): a full GC on SIGWINCH (not
// SIGUSR2: Nest's shutdown hooks stop the service on it; SIGWINCH is ignored by default), so
// the bench reads memory that is held, not garbage not yet collected. Writes the pid where
// WAVEWATCH_BENCH_PID_FILE says, for the signal and /proc/<pid>. Nothing of it is in the service.
const pidFile = process.env.WAVEWATCH_BENCH_PID_FILE;
if (pidFile) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  process.on('SIGWINCH', () => gc());
  writeFileSync(pidFile, String(process.pid));
}
