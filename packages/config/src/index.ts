import { configError } from '@ates/errors';

/**
 * Configuration comes from environment variables only. Each service declares its variables
 * once, as a spec; the same spec parses the environment (failing with one line that names the
 * culprit) and documents itself (`ates config`, and the README table that a test keeps in sync).
 */
export interface Variable<T> {
  readonly description: string;
  /** Shown in docs; parsed like any other value. `undefined` means the variable is required. */
  readonly default?: string;
  readonly parse: (raw: string) => T;
  /** What a valid value looks like, for the error message. */
  readonly expected: string;
}

export type Spec = Record<string, Variable<unknown>>;
export type ConfigOf<S extends Spec> = { readonly [K in keyof S]: S[K] extends Variable<infer T> ? T : never };

const fail = (): never => {
  throw new Error('invalid');
};

export const port = (description: string, fallback?: number): Variable<number> => ({
  description,
  ...(fallback === undefined ? {} : { default: String(fallback) }),
  expected: 'a TCP port from 1 to 65535',
  parse: (raw) => {
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    return Number.isInteger(n) && n >= 1 && n <= 65_535 ? n : fail();
  },
});

export const integer = (
  description: string,
  fallback: number | undefined,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): Variable<number> => ({
  description,
  ...(fallback === undefined ? {} : { default: String(fallback) }),
  expected: `a whole number from ${min} to ${max}`,
  parse: (raw) => {
    const n = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
    return Number.isSafeInteger(n) && n >= min && n <= max ? n : fail();
  },
});

export const postgresUrl = (description: string, fallback?: string): Variable<string> => ({
  description,
  ...(fallback === undefined ? {} : { default: fallback }),
  expected: 'a PostgreSQL URL such as postgres://user:password@host:5432/database',
  parse: (raw) => {
    const url = URL.canParse(raw) ? new URL(raw) : undefined;
    const ok = url && (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.pathname.length > 1;
    return ok ? raw : fail();
  },
});

/**
 * Where events travel: a PostgreSQL database (the embedded transport) or a RabbitMQ URL, with
 * comma-separated `host:port` nodes for a cluster (which WHATWG `URL` cannot parse, hence the
 * pattern).
 */
export const transportUrl = (description: string, fallback?: string): Variable<string> => ({
  description,
  ...(fallback === undefined ? {} : { default: fallback }),
  expected:
    'postgres://user:password@host:5432/database, or amqp://user:password@host:5672/vhost (host1:5672,host2:5672,… for a cluster)',
  parse: (raw) => (/^amqps?:\/\/[^/?#]+(\/[^?#]*)?(\?.*)?$/.test(raw) ? raw : postgresUrl(description).parse(raw)),
});

export const httpUrl = (description: string, fallback?: string): Variable<string> => ({
  description,
  ...(fallback === undefined ? {} : { default: fallback }),
  expected: 'an http(s) URL',
  parse: (raw) => {
    const url = URL.canParse(raw) ? new URL(raw) : undefined;
    return url && (url.protocol === 'http:' || url.protocol === 'https:') ? raw.replace(/\/$/, '') : fail();
  },
});

/** A secret (key, client secret): at least 32 characters, so that a placeholder like "changeme" is refused. */
export const secret = (description: string): Variable<string> => ({
  description,
  expected: 'a random string of at least 32 characters',
  parse: (raw) => (raw.length >= 32 ? raw : fail()),
});

export const oneOf = <const T extends string>(
  description: string,
  values: readonly T[],
  fallback?: T,
): Variable<T> => ({
  description,
  ...(fallback === undefined ? {} : { default: fallback }),
  expected: `one of ${values.join(', ')}`,
  parse: (raw) => ((values as readonly string[]).includes(raw) ? (raw as T) : fail()),
});

export const text = (description: string, fallback?: string): Variable<string> => ({
  description,
  ...(fallback === undefined ? {} : { default: fallback }),
  expected: 'a non-empty string',
  parse: (raw) => (raw.length > 0 ? raw : fail()),
});

const shown = (name: string, raw: string): string => (/PASSWORD|SECRET|URL/.test(name) ? redactUrl(raw) : raw);

/** Hides the password of a URL so that an error message can quote the value safely. */
export const redactUrl = (raw: string): string => {
  if (!URL.canParse(raw)) {
    // A URL that WHATWG cannot parse (several hosts) may still carry a password.
    const hidden = raw.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
    return hidden.length > 60 ? `${hidden.slice(0, 60)}…` : hidden;
  }
  const url = new URL(raw);
  if (url.password) url.password = '***';
  return url.toString();
};

/** Parses `env` against `spec`; throws an `AppError('config')` naming the first bad variable. */
export const readConfig = <S extends Spec>(spec: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> => {
  const out: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(spec)) {
    const given = env[name];
    const raw = given === undefined || given === '' ? variable.default : given;
    if (raw === undefined)
      throw configError(
        `Missing environment variable ${name}: expected ${variable.expected} (${variable.description}).`,
      );
    try {
      out[name] = variable.parse(raw);
    } catch {
      throw configError(
        `Invalid environment variable ${name}=${JSON.stringify(shown(name, raw))}: expected ${variable.expected}.`,
      );
    }
  }
  return out as ConfigOf<S>;
};

export interface VariableDoc {
  readonly name: string;
  readonly description: string;
  readonly default: string | undefined;
  readonly expected: string;
}

export const describeSpec = (spec: Spec): VariableDoc[] =>
  Object.entries(spec).map(([name, v]) => ({
    name,
    description: v.description,
    default: v.default,
    expected: v.expected,
  }));
