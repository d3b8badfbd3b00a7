export { accountingService } from './service.js';
