/**
 * The pieces `ates start` builds the system from, for tools that run the same system with more
 * control over it (npm run chaos puts proxies between the processes and their databases).
 */
export { declareGroups, demoAccountsFile, databaseOf, busDatabase, serviceEnv } from './start/start.js';
export { startEnv, type StartConfig } from './start/start-config.js';
export { loadOrCreateSecrets } from './start/secrets.js';
export { mailDev } from './start/maildev.js';
export { waitUntilReady } from './start/ready.js';
export { Supervised } from './start/supervisor.js';
export { serviceNamesInOrder } from './services.js';
