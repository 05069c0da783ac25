import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';
import { schemaDrift, type SchemaDrift } from './schema-drift.js';

// npm run migration:generate [-- <name> | --check]
// Runs every migration on a fresh in-memory PGlite, then asks TypeORM what the entities still
// need. Prints that SQL (or "no changes"); with a name, also writes migrations/<ts>-<name>.ts
// for review; with --check, exits 1 when a migration is missing (for CI).
const arg = process.argv[2];

function className(name: string, timestamp: number): string {
  const pascal = name.replace(/(^|[-_\s]+)(\w)/g, (_m, _sep: string, c: string) => c.toUpperCase());
  return `${pascal}${timestamp}`;
}

function migrationSource(name: string, timestamp: number, drift: SchemaDrift): string {
  const literal = (q: string): string => '`' + q.replace(/[`\\]|\$\{/g, (m) => `\\${m}`) + '`';
  const lines = (queries: string[]): string => queries.map((q) => `    await queryRunner.query(${literal(q)});`).join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className(name, timestamp)} implements MigrationInterface {
  name = '${className(name, timestamp)}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(drift.up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines([...drift.down].reverse())}
  }
}
`;
}

async function main(): Promise<number> {
  const dataSource = new DataSource(dataSourceOptions({}));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
    const drift = await schemaDrift(dataSource);
    if (drift.up.length === 0) {
      process.stdout.write('no changes: entities and migrations agree\n');
      return 0;
    }
    process.stdout.write(`-- a new migration needs:\n${drift.up.map((q) => `${q};`).join('\n')}\n`);
    if (arg === '--check') return 1;
    if (arg) {
      const timestamp = Date.now();
      const file = join(process.cwd(), 'migrations', `${timestamp}-${arg}.ts`);
      writeFileSync(file, migrationSource(arg, timestamp, drift));
      process.stdout.write(`wrote ${file}: review it and add ${className(arg, timestamp)} to migrations/index.ts\n`);
    }
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`migration:generate failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
