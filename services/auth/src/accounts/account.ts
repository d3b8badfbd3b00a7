import type { FieldIssue } from '@ates/errors';
import { isRole, roles, type Role } from '@ates/roles';
import type { DataOf } from '@ates/schema-registry';

/**
 * An account as other services may know it: the fields the Account events carry. Field names are
 * the wire names (database columns, JSON API, event data) so that no layer renames anything.
 * `version` starts at 1 and grows by one with every change of these fields.
 */
export interface Account {
  readonly public_id: string;
  readonly email: string;
  readonly full_name: string;
  readonly role: Role;
  readonly active: boolean;
  readonly version: number;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/**
 * Who asks for a change: a signed-in person (the API or the admin pages), as their account is now
 * in this database — `undefined` if it no longer exists — or the system itself (the `ates auth`
 * command line, demo seeding), which the rules about "themselves" do not apply to.
 */
export type Actor = { readonly kind: 'account'; readonly account: Account | undefined } | { readonly kind: 'system' };

/** An event the change publishes, before it is wrapped in an envelope. */
export type AccountEvent =
  | { readonly name: 'Account.Created'; readonly version: 1; readonly data: DataOf<'Account.Created', 1> }
  | { readonly name: 'Account.Updated'; readonly version: 1; readonly data: DataOf<'Account.Updated', 1> }
  | { readonly name: 'Account.Deactivated'; readonly version: 1; readonly data: DataOf<'Account.Deactivated', 1> }
  | { readonly name: 'Account.RoleChanged'; readonly version: 1; readonly data: DataOf<'Account.RoleChanged', 1> };

export const maxEmailLength = 254;
export const maxFullNameLength = 200;

// The same pattern as the `email` format of ajv-formats, which the event schemas use: an address
// this accepts is one the schema registry accepts, so a valid request never makes an invalid event.
const emailPattern =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** Emails are compared and stored lower-case and trimmed: `Polly@Example.com ` is `polly@example.com`. */
export const normalizeEmail = (raw: string): string => raw.trim().toLowerCase();
export const normalizeFullName = (raw: string): string => raw.trim().replace(/\s+/g, ' ');

/** Problems with an email, already normalised; empty when it is fine. */
export const emailIssues = (email: string, field = 'email'): FieldIssue[] => {
  if (email.length === 0) return [{ field, message: 'is required' }];
  if (email.length > maxEmailLength) return [{ field, message: `must be at most ${maxEmailLength} characters` }];
  if (!emailPattern.test(email)) return [{ field, message: 'must be an email address such as polly@example.com' }];
  return [];
};

export const fullNameIssues = (fullName: string, field = 'full_name'): FieldIssue[] => {
  if (fullName.length === 0) return [{ field, message: 'is required' }];
  if (fullName.length > maxFullNameLength)
    return [{ field, message: `must be at most ${maxFullNameLength} characters` }];
  return [];
};

export const roleIssues = (role: unknown, field = 'role'): FieldIssue[] =>
  isRole(role) ? [] : [{ field, message: `must be one of ${roles.join(', ')}` }];
