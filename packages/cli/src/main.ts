import { Command } from 'commander';
import type * as AuthCommands from '@ates/auth/cli';
import type { DlqOptions } from './dlq/dlq.js';
import type { OutboxReplayOptions } from './outbox/outbox.js';
import type { SimulateCommandOptions } from './simulate/command.js';
import { serviceNamesInOrder } from './services.js';

// Every command loads what it needs when it runs: `ates start` (the supervisor) needs none of the
// services' code, and each `ates serve <service>` child only its own service.

const program = new Command('ates').description('aTES — task tracker, accounting and analytics of UberPopug Inc.');

program
  .command('start')
  .description(
    'Run the whole system on this machine with an embedded PostgreSQL (what `npm start` does); events on RabbitMQ when EVENT_TRANSPORT_URL is set.',
  )
  .option('--instances <n>', 'processes of each service (default ATES_INSTANCES, 1)')
  .action(async (options: { instances?: string }) => (await import('./start/start.js')).start(options));

program
  .command('serve')
  .argument('<service>', serviceNamesInOrder.join(' | '))
  .description('Run one service, configured by environment variables only.')
  .action(async (service: string) => (await import('./serve.js')).serve(service));

program
  .command('config')
  .description('Print the table of environment variables of `ates start` and of each service.')
  .option('--write-readme', 'rewrite the table in README.md')
  .action(async (options: { writeReadme?: boolean }) => {
    const { renderConfigTable, writeReadmeConfigTable } = await import('./config/config-table.js');
    if (options.writeReadme) await writeReadmeConfigTable();
    else console.log(await renderConfigTable());
  });

program
  .command('catalog')
  .description(
    'Print the event catalog (AsyncAPI 3.0, JSON) generated from the schema registry and what each service produces and consumes; warnings go to stderr.',
  )
  .option('--write', 'rewrite docs/asyncapi.json, which every service serves at /docs/events')
  .action(async (options: { write?: boolean }) => {
    const { buildCatalog, writeCatalog } = await import('./catalog/catalog.js');
    const { serializeCatalog } = await import('@ates/event-catalog');
    const catalog = options.write ? await writeCatalog() : await buildCatalog();
    if (!options.write) process.stdout.write(serializeCatalog(catalog.document));
    for (const warning of catalog.warnings) console.error(`catalog: ${warning}`);
  });

const auth = program
  .command('auth')
  .description(
    'Operate the auth service: applications, signing keys, accounts. Uses DATABASE_URL (the auth database), else the running `npm start`.',
  );
const authContext = async () => ({
  databaseUrl: await (await import('./auth/database.js')).authDatabaseUrl(),
  env: process.env,
  print: (line: string) => console.log(line),
});
const authCommand =
  (work: (commands: typeof AuthCommands, context: Awaited<ReturnType<typeof authContext>>) => Promise<void>) =>
  async () => {
    try {
      await work(await import('@ates/auth/cli'), await authContext());
    } catch (error) {
      process.exitCode = (await import('./exit.js')).reportFatal('ates auth', error);
    }
  };
auth
  .command('add-app')
  .description('Register an OAuth application; prints its client id and, for a confidential one, its secret (once).')
  .requiredOption('--name <name>', 'name shown to people signing in')
  .requiredOption('--redirect-uri <uri...>', 'allowed redirect URIs (exact match)')
  .option('--post-logout-redirect-uri <uri...>', 'allowed URIs to return to after sign-out')
  .option('--public', 'a public client (native or single-page app): no secret, PKCE required')
  .option('--first-party', 'an aTES dashboard: no consent screen')
  .action(
    (options: {
      name: string;
      redirectUri: string[];
      postLogoutRedirectUri?: string[];
      public?: boolean;
      firstParty?: boolean;
    }) => authCommand((commands, context) => commands.addApp(context, options))(),
  );
auth
  .command('rotate-keys')
  .description(
    'Add a new token signing key; it signs after --activate-in seconds, the old key stays published until its tokens expire.',
  )
  .option(
    '--activate-in <seconds>',
    'delay before the new key signs (default 600: every service learns it first)',
    (v) => Number.parseInt(v, 10),
  )
  .option('--now', 'sign with the new key at once (a compromised key)')
  .action((options: { activateIn?: number; now?: boolean }) =>
    authCommand((commands, context) => commands.rotateKeys(context, options))(),
  );
auth
  .command('create-account')
  .description('Create an account (e.g. the first admin of a new installation); prints a generated password once.')
  .requiredOption('--email <email>')
  .requiredOption('--name <full name>')
  .requiredOption('--role <role>', 'admin | manager | accountant | worker')
  .option('--password <password>', 'at least 12 characters; generated when omitted')
  .action((options: { email: string; name: string; role: string; password?: string }) =>
    authCommand((commands, context) => commands.createAccount(context, options))(),
  );
auth
  .command('reset-password')
  .description("Set a new password for an account (generated when omitted) and end the account's sessions.")
  .requiredOption('--email <email>')
  .option('--password <password>')
  .action((options: { email: string; password?: string }) =>
    authCommand((commands, context) => commands.resetPassword(context, options))(),
  );

/** Runs an operations command, turning a known error into one line and an exit code. */
const operation =
  <A extends unknown[]>(prefix: string, work: (...args: A) => Promise<void>) =>
  async (...args: A): Promise<void> => {
    try {
      await work(...args);
    } catch (error) {
      process.exitCode = (await import('./exit.js')).reportFatal(prefix, error);
    }
  };
const print = (line: string): void => console.log(line);
const serviceOption = [
  '--service <service>',
  `the service whose database to use: ${serviceNamesInOrder.join(' | ')}`,
] as const;

const dlq = program
  .command('dlq')
  .description(
    "Dead letters of one service's consumers. Uses DATABASE_URL and EVENT_TRANSPORT_URL, else the running `npm start`.",
  );
dlq
  .command('list')
  .description('Open dead letters, oldest first (--all: replayed and discarded ones too).')
  .requiredOption(...serviceOption)
  .option('--consumer <group>', 'only this consumer group')
  .option('--all', 'include replayed and discarded ones')
  .option('--limit <n>', 'at most this many (default 100)')
  .action(
    operation('ates dlq list', async (options: DlqOptions) => (await import('./dlq/dlq.js')).dlqList(options, print)),
  );
dlq
  .command('show')
  .argument('<id>', 'dead letter id')
  .description('Everything recorded about one dead letter: reason, error, stack, attempts, the body as received.')
  .requiredOption(...serviceOption)
  .action(
    operation('ates dlq show', async (id: string, options: DlqOptions) =>
      (await import('./dlq/dlq.js')).dlqShow(id, options, print),
    ),
  );
dlq
  .command('replay')
  .argument('[id]', 'dead letter id')
  .description('Send one dead letter (or --all open ones) back to the consumer group that gave up on it.')
  .requiredOption(...serviceOption)
  .option('--all', 'every open dead letter')
  .option('--consumer <group>', 'with --all: only this consumer group')
  .action(
    operation('ates dlq replay', async (id: string | undefined, options: DlqOptions) =>
      (await import('./dlq/dlq.js')).dlqReplay(id, options, print),
    ),
  );
dlq
  .command('discard')
  .argument('[id]', 'dead letter id')
  .description('Mark one dead letter (or --all open ones) discarded: kept for the record, never replayed.')
  .requiredOption(...serviceOption)
  .option('--all', 'every open dead letter')
  .option('--consumer <group>', 'with --all: only this consumer group')
  .action(
    operation('ates dlq discard', async (id: string | undefined, options: DlqOptions) =>
      (await import('./dlq/dlq.js')).dlqDiscard(id, options, print),
    ),
  );

const outbox = program
  .command('outbox')
  .description("One service's outbox. Uses DATABASE_URL and EVENT_TRANSPORT_URL, else the running `npm start`.");
outbox
  .command('status')
  .description('Unsent events, the age of the oldest, when the last one was sent.')
  .requiredOption(...serviceOption)
  .action(
    operation('ates outbox status', async (options: { service: string }) =>
      (await import('./outbox/outbox.js')).outboxStatusCommand(options, print),
    ),
  );
outbox
  .command('replay')
  .description(
    'Resend the retained (already sent) events, in order, to one consumer group: rebuilds a consumer whose database was lost.',
  )
  .requiredOption(...serviceOption)
  .requiredOption('--to <group>', 'the consumer group, e.g. tracker.accounts')
  .option('--event <names...>', 'only these event names')
  .option('--since <time>', 'only events written since then (ISO 8601)')
  .action(
    operation('ates outbox replay', async (options: OutboxReplayOptions) =>
      (await import('./outbox/outbox.js')).outboxReplayCommand(options, print),
    ),
  );

/** What `ates accounting …` commands work with: the accounting database, the environment, stdout. */
const accountingContext = async () => ({
  databaseUrl: await (await import('./service-database.js')).serviceDatabaseUrl('accounting'),
  env: process.env,
  print,
});

const accounting = program
  .command('accounting')
  .description(
    'Operate the accounting service: close business days, reverse a transaction. Uses DATABASE_URL (the accounting database), else the running `npm start`.',
  );
accounting
  .command('close-day')
  .description(
    'Close a business day that has ended (and every earlier one still open): pay out positive balances, email the payouts, publish the figures. Without --date, every ended day not closed yet. Safe to repeat: nobody is paid twice.',
  )
  .option(
    '--date <YYYY-MM-DD>',
    'the business day to close (ACCOUNTING_TIMEZONE and ACCOUNTING_DAY_END say when it ends)',
  )
  .action(
    operation('ates accounting close-day', async (options: { date?: string }) =>
      (await import('@ates/accounting/cli')).closeDay(await accountingContext(), options),
    ),
  );

accounting
  .command('reverse <transaction-id>')
  .description(
    "Correct the ledger: reverse a fee or a reward posted by mistake with a transaction of the opposite amount on today's open day (never an edit). At most once per transaction.",
  )
  .requiredOption('--reason <text>', 'why, as the audit log will show it')
  .action(
    operation('ates accounting reverse', async (transactionId: string, options: { reason: string }) =>
      (await import('@ates/accounting/cli')).reverse(await accountingContext(), transactionId, options),
    ),
  );

const analytics = program
  .command('analytics')
  .description(
    'Operate the analytics service: rebuild its model from the retained events. Uses DATABASE_URL (the analytics database) and EVENT_TRANSPORT_URL, else the running `npm start`.',
  );
analytics
  .command('rebuild')
  .description(
    "Empty analytics' model and send the retained events of accounting and the tracker (their outboxes) again to the groups that feed it; the running analytics service applies them and the same figures come back. Safe while everything runs.",
  )
  .option('--accounting-database <url>', "accounting's database (its outbox); default: the running `npm start`'s")
  .option('--tracker-database <url>', "the tracker's database (its outbox); default: the running `npm start`'s")
  .action(
    operation('ates analytics rebuild', async (options: { accountingDatabase?: string; trackerDatabase?: string }) => {
      const { serviceDatabaseUrl } = await import('./service-database.js');
      const { transportTarget } = await import('./bus/target.js');
      // DATABASE_URL names analytics' database, not the sources'.
      const elsewhere = { ...process.env, DATABASE_URL: undefined };
      await (
        await import('@ates/analytics/cli')
      ).rebuild({
        databaseUrl: await serviceDatabaseUrl('analytics'),
        transportUrl: await transportTarget(),
        sources: [
          {
            service: 'accounting',
            databaseUrl: options.accountingDatabase ?? (await serviceDatabaseUrl('accounting', elsewhere)),
          },
          {
            service: 'tracker',
            databaseUrl: options.trackerDatabase ?? (await serviceDatabaseUrl('tracker', elsewhere)),
          },
        ],
        env: process.env,
        print,
      });
    }),
  );

const bus = program
  .command('bus')
  .description(
    'The event transport itself: consumer groups and their bindings. Uses EVENT_TRANSPORT_URL, else the running `npm start`.',
  );
bus
  .command('declare')
  .description(
    'Declare every consumer group (queue and bindings) of the services, from their definitions, so that events are kept for them before they first run. Run it on every deploy, before the services start; idempotent, it only adds bindings.',
  )
  .option('--service <services...>', `only these services: ${serviceNamesInOrder.join(' | ')}`)
  .action(
    operation('ates bus declare', async (options: { service?: string[] }) =>
      (await import('./bus/declare.js')).busDeclareCommand(options, print),
    ),
  );
bus
  .command('unbind')
  .description(
    'Stop routing events of these names to a consumer group: the deploy step after a handler was removed from every running instance.',
  )
  .requiredOption('--group <group>', 'the consumer group, e.g. tracker.accounts')
  .requiredOption('--event <names...>', 'event names, e.g. Account.Deleted')
  .action(
    operation('ates bus unbind', async (options: { group: string; event: string[] }) =>
      (await import('./bus/declare.js')).busUnbindCommand(options, print),
    ),
  );

program
  .command('simulate')
  .description(
    'A company at work against a running system, through its public interfaces only: the admin registers the simulator as an application and creates the accounts, everyone signs in (OpenID Connect, code + PKCE), then people create, reassign and complete tasks while the admin changes roles and deactivates. Progress on stderr, the summary on stdout.',
  )
  .option('--size <n>', 'people in the company (default 20; 12 with --demo)')
  .option('--duration <time>', 'how long the work goes on: seconds, or e.g. 90s, 3m (default 60)')
  .option('--seed <n>', 'the seed of every choice, to repeat a run (default: a fresh one, printed)')
  .option('--concurrency <n>', 'requests in flight at once (default 4)')
  .option('--reassign-every <seconds>', 'a manager reassigns every open task this often (default 15; 0: never)')
  .option('--demo', 'a realistic demo day for a fresh `npm start`, then stop (no --duration)')
  .option('--admin-email <email>', 'an active admin (default ATES_ADMIN_EMAIL)')
  .option('--admin-password <password>', 'its password (default ATES_ADMIN_PASSWORD)')
  .option('--report <file>', 'also write the summary as JSON, with every id and every failed request')
  .option('--auth-url <url>', 'the auth service, its issuer URL (default http://localhost:AUTH_PORT)')
  .option('--tracker-url <url>', 'the tracker (default http://localhost:TRACKER_PORT)')
  .option('--accounting-url <url>', 'accounting (default http://localhost:ACCOUNTING_PORT)')
  .option('--analytics-url <url>', 'analytics (default http://localhost:ANALYTICS_PORT)')
  .action(
    operation('ates simulate', async (options: SimulateCommandOptions) =>
      (await import('./simulate/command.js')).simulateCommand(options),
    ),
  );

const bench = program.command('bench').description('Benchmarks; figures go to docs/PERFORMANCE.md.');
bench
  .command('startup')
  .description('Median of 5 for time-to-all-ready on a first start and on a restart.')
  .action(async () => (await import('./bench/startup.js')).benchStartup());
bench
  .command('auth')
  .description(
    'Local access-token verifications per second in a service, and full sign-ins per second through the provider.',
  )
  .action(async () => (await import('@ates/auth/bench')).benchAuth());

await program.parseAsync(process.argv);
