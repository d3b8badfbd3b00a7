/**
 * Every aTES service accepts the auth service's access tokens through this package: local JWT
 * verification against the published keys (cached, kept across restarts), `request.caller` on
 * the routes that need it, and a one-line role guard. See docs/auth.md.
 */
export type { Caller } from './caller.js';
export { createTokenVerifier } from './verifier.js';
export { applyStanding } from './standing.js';
export type { AccountStanding, AccountStandings } from './standing.js';
export type { TokenVerifier, TokenVerifierOptions } from './verifier.js';
export { remoteJwks } from './remote-jwks.js';
export type { JwksStore, RemoteJwks, RemoteJwksOptions } from './remote-jwks.js';
export { pgJwksStore, jwksCacheTable } from './pg-store.js';
export { authenticate, bearerToken, requireRole } from './fastify.js';
export { apiAudience, jwksUrlOf, serviceTokenVerifier, tokenVerifierEnv } from './service.js';
export type { TokenVerifierConfig } from './service.js';
