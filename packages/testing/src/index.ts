export { createTestDatabase, testServerUrl } from './database.js';
export type { TestDatabase } from './database.js';
export { freePort } from './ports.js';
export { eventually } from './eventually.js';
