import type { RefusalSpec } from '../categories.js';

/** Refusals of sign-in, tokens, dashboard sessions, accounts and applications (U1–U3). */
export const authRefusals = {
  'auth.token_missing': {
    category: 'unauthenticated',
    message: 'Sign in first: send Authorization: Bearer <access token>.',
  },
  'auth.token_invalid': {
    category: 'unauthenticated',
    message: 'The access token is not one the auth service issued for this API; sign in again.',
  },
  'auth.token_expired': {
    category: 'unauthenticated',
    message: 'The access token has expired; refresh it or sign in again.',
  },
  'auth.account_deactivated': {
    category: 'unauthenticated',
    message: 'Refused: the account has been deactivated.',
  },
  'auth.role_required': { category: 'forbidden', message: 'This is not for your role.' },
  'auth.csrf_invalid': {
    category: 'forbidden',
    message: 'This form has expired or did not come from this dashboard; reload the page and try again.',
  },
  'auth.logout_token_invalid': {
    category: 'validation',
    message: 'That is not a valid back-channel logout token of the auth service.',
  },
  'account.not_found': { category: 'not_found', message: 'There is no such account.' },
  'account.invalid': { category: 'validation', message: 'Check the fields marked below.' },
  'account.email_taken': { category: 'conflict', message: 'Another account already has this email.' },
  'account.actor_inactive': {
    category: 'forbidden',
    message: 'Your account is deactivated or no longer exists.',
  },
  'account.actor_not_admin': { category: 'forbidden', message: 'Only an admin can change accounts.' },
  'account.self_role_change': {
    category: 'conflict',
    message:
      'You cannot change your own role: another admin has to do it, so that an admin never locks themselves out by mistake.',
  },
  'account.self_deactivation': {
    category: 'conflict',
    message: 'You cannot deactivate your own account: another admin has to do it.',
  },
  'account.last_admin': {
    category: 'conflict',
    message: 'This is the last active admin; make another account admin first.',
  },
  'application.not_found': { category: 'not_found', message: 'There is no such application.' },
  'application.invalid': { category: 'validation', message: 'Check the fields marked below.' },
  'application.configured': {
    category: 'conflict',
    message: 'This is one of the aTES dashboards, registered from configuration; it cannot be removed.',
  },
} as const satisfies Record<string, RefusalSpec>;
