/** REQUIREMENTS "Roles": every person has exactly one, carried in the access token's `role` claim. */
export const roles = ['admin', 'manager', 'accountant', 'worker'] as const;
export type Role = (typeof roles)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (roles as readonly string[]).includes(value);

/** The person a request comes from, as the access token describes them. */
export interface Caller {
  /** The account's public id (the token's `sub`), the same in every service. */
  readonly id: string;
  readonly role: Role;
  readonly name: string;
  readonly email: string;
}
