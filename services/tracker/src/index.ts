export { trackerService } from './service.js';
