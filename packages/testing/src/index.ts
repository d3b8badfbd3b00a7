export { createTestDatabase, testServerUrl } from './database.js';
export type { TestDatabase } from './database.js';
export { freePort } from './ports.js';
export { eventually } from './eventually.js';
export { startHangingProxy } from './hanging-proxy.js';
export type { HangingProxy } from './hanging-proxy.js';
