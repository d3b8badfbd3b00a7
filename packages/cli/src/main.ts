import { Command } from 'commander';
import { describeSpec } from '@ates/config';
import { commonEnv } from '@ates/service';
import { serve } from './serve.js';
import { start } from './start/start.js';
import { startEnv } from './start/start-config.js';
import { serviceLoaders, serviceNamesInOrder } from './services.js';

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
  .description('List the environment variables of `ates start` and of each service.')
  .action(async () => {
    const services = await Promise.all(serviceNamesInOrder.map((n) => serviceLoaders[n]()));
    const rows = [
      ...describeSpec(startEnv).map((v) => ({ ...v, scope: 'ates start' })),
      ...describeSpec(commonEnv(0)).map((v) => ({ ...v, scope: 'every service', default: v.name === 'PORT' ? 'auth 4000, tracker 4001, accounting 4002, analytics 4003' : v.default })),
      ...services.flatMap((s) => describeSpec(s.env).map((v) => ({ ...v, scope: s.name }))),
    ];
    console.log('| Variable | Used by | Default | Meaning |\n|---|---|---|---|');
    for (const r of rows) console.log(`| \`${r.name}\` | ${r.scope} | ${r.default === undefined ? '*(required)*' : `\`${r.default.startsWith('/') ? '<checkout>/.ates' : r.default}\``} | ${r.description} |`);
  });

await program.parseAsync(process.argv);
