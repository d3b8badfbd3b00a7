/** What other services' end-to-end tests use to run the real tracker beside them. */
export { trackerService } from './service.js';
