import type { RefusalSpec } from '../categories.js';

/** Refusals of the platform itself: requests that fail before any domain rule runs. */
export const platformRefusals = {
  'request.invalid': {
    category: 'validation',
    message: 'The request is not valid: check the fields named in it.',
  },
  'request.malformed_body': {
    category: 'validation',
    message: 'The request body could not be read: send valid JSON (or the form the page posts).',
  },
  'request.body_too_large': {
    category: 'content_too_large',
    message: 'The request body is larger than this service accepts.',
  },
  'request.unsupported_media_type': {
    category: 'unsupported_media_type',
    message: 'This content type is not accepted here: send application/json.',
  },
  'route.not_found': { category: 'not_found', message: 'There is no such page or API route.' },
  'server.internal_error': {
    category: 'internal',
    message: 'An unexpected error occurred; it has been logged with this request id.',
  },
  'dependency.unavailable': {
    category: 'unavailable',
    message: 'Something this needs cannot be reached right now; try again in a minute.',
  },
  'config.invalid': { category: 'config', message: 'The configuration is not valid.' },
  'event.invalid': {
    category: 'invalid_event',
    message: 'An event failed its schema; nothing was saved.',
  },
  'dead_letter.not_found': { category: 'not_found', message: 'There is no such dead letter.' },
  'dead_letter.settled': {
    category: 'conflict',
    message: 'This dead letter was already replayed or discarded.',
  },
  'cli.invalid_arguments': { category: 'validation', message: 'The command line is not valid.' },
  'metrics.disabled': {
    category: 'forbidden',
    message: 'Metrics are disabled: set METRICS_TOKEN, and scrape with Authorization: Bearer <token>.',
  },
  'metrics.token_invalid': {
    category: 'unauthenticated',
    message: 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.',
  },
} as const satisfies Record<string, RefusalSpec>;
