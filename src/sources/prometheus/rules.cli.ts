import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/load-config.js';
import { prometheusSource } from '../../config/config.schema.js';
import { pullFetcher } from './pull-source.js';
import { recordingRules } from './recording-rules.js';

// npm run rules [-- --config wavewatch.yaml] [--out rules.yml]: the recording rules of the
// configured catalog (default catalog plus signals.definitions), for `rule_files:`.
function main(): void {
  const { values } = parseArgs({ options: { config: { type: 'string' }, out: { type: 'string' } } });
  const config = loadConfig(values.config ? { WAVEWATCH_CONFIG: values.config } : {});
  const source = config.sources.prometheus ?? prometheusSource.parse({ url: 'http://localhost:9090' });
  const { plan } = pullFetcher(config, source);
  const text = recordingRules(plan, config.signals.stepSeconds);
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
}

try {
  main();
} catch (error) {
  console.error(`rules: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
