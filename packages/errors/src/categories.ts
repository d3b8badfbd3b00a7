/**
 * The small set of categories every refusal falls into, with the HTTP status each one is
 * answered with. A category says how a client should react (fix the input, sign in again, ask
 * someone else, retry later); the refusal's own code (catalogue.ts) says what happened.
 * `config` and `unavailable` also decide the exit code of the command line (78 and 69).
 */
export const categories = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  content_too_large: 413,
  unsupported_media_type: 415,
  invalid_event: 422,
  rate_limited: 429,
  internal: 500,
  config: 500,
  unavailable: 503,
} as const;

export type Category = keyof typeof categories;

/** One refusal of the catalogue: its category and the sentence a person is shown for it. */
export interface RefusalSpec {
  readonly category: Category;
  /**
   * What a person reads — in a dashboard, or as the problem's `detail` when the refusal has no
   * more specific one. Plain words, no data: a specific detail (an email, an id) is given where
   * the refusal is raised.
   */
  readonly message: string;
}
