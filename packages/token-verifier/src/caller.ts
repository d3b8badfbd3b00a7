import type { Role } from '@ates/roles';

/** The person a request comes from, as the access token describes them. */
export interface Caller {
  /** The account's public id (the token's `sub`), the same in every service. */
  readonly id: string;
  readonly role: Role;
  readonly name: string;
  readonly email: string;
}
