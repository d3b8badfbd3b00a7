export { apiScope, createServiceApp, listen } from './app.js';
export type { ApiScope, ServiceApp, ServiceAppOptions, ReadinessCheck } from './app.js';
export { errorHandler, sendProblem, problemType } from './problem.js';
export type { Problem } from './problem.js';
export { ProblemSchema, problemRef, problemResponse, problemResponses, refusesWith } from './openapi.js';
export { isSafeText, looseNumberIssues, strictUuid } from './validation.js';
