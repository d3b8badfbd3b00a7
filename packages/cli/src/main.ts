import { Command } from 'commander';
import { renderConfigTable, writeReadmeConfigTable } from './config/config-table.js';
import { serve } from './serve.js';
import { start } from './start/start.js';
import { serviceNamesInOrder } from './services.js';

const program = new Command('ates').description('aTES — task tracker, accounting and analytics of UberPopug Inc.');

program
  .command('start')
  .description('Run the whole system on this machine with an embedded PostgreSQL (what `npm start` does).')
  .action(start);

program
  .command('serve')
  .argument('<service>', serviceNamesInOrder.join(' | '))
  .description('Run one service, configured by environment variables only.')
  .action(serve);

program
  .command('config')
  .description('Print the table of environment variables of `ates start` and of each service.')
  .option('--write-readme', 'rewrite the table in README.md')
  .action(async (options: { writeReadme?: boolean }) => {
    if (options.writeReadme) await writeReadmeConfigTable();
    else console.log(await renderConfigTable());
  });

const bench = program.command('bench').description('Benchmarks; figures go to docs/PERFORMANCE.md.');
bench
  .command('startup')
  .description('Median of 5 for time-to-all-ready on a first start and on a restart.')
  .action(async () => (await import('./bench/startup.js')).benchStartup());

await program.parseAsync(process.argv);
