import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { documents, operationsOf, type JsonSchema, type OpenApiDocument, type Operation } from './openapi.js';
import { validBody, validText } from './oracle.js';
import { oddJsonValues, oddTextValues, validValue } from './values.js';

/**
 * Fuzzes every operation of a running service, generated from the service's own OpenAPI document
 * (`/docs/json`): valid requests and mutated ones (wrong types, missing and extra fields, huge,
 * empty, control characters, NUL, unpaired surrogates, odd numbers, odd UUID spellings, broken
 * JSON, the wrong media type, no or a forged token). For every request:
 *
 * - no 5xx;
 * - the status is one the operation documents;
 * - every 4xx is RFC 9457 problem details (application/problem+json), and a 400 names the field —
 *   the mutated one, when the mutation is what made the request invalid;
 * - a request the document says is invalid is refused (400, or 401 for a caller refused first;
 *   a URL no route can take apart is refused 400 before authentication);
 * - a refused request changed nothing (`snapshot` is the same before and after).
 *
 * New routes are fuzzed as soon as they are registered: nothing here names one.
 */
export interface FuzzTarget {
  /** For messages: the service's name. */
  readonly name: string;
  readonly url: string;
  /** Valid access tokens of different callers (one per role). */
  readonly tokens: readonly string[];
  /** The service's data, as equal before and after a refused request (see `tableFingerprint`). */
  readonly snapshot: () => Promise<unknown>;
  /** Runs per operation: default FUZZ_RUNS, or 12. */
  readonly runs?: number;
  readonly seed?: number;
}

export interface FuzzReport {
  readonly operations: number;
  readonly requests: number;
  /** How many answers of each status, over every operation: what the run reached. */
  readonly statuses: Readonly<Record<string, number>>;
}

type Caller = { readonly token: number } | { readonly anonymous: 'none' | 'garbage' | 'unsigned' | 'basic' };
type Transport = 'invalid-json' | 'xml' | 'huge' | 'unexpected-body';
type Mutation =
  | { readonly part: 'body'; readonly field: readonly (string | number)[]; readonly set: unknown }
  | { readonly part: 'body'; readonly field: readonly (string | number)[]; readonly remove: true }
  | { readonly part: 'body'; readonly replace: unknown }
  | { readonly part: 'query' | 'params'; readonly name: string; readonly value: string | string[] }
  | { readonly part: 'transport'; readonly kind: Transport };

interface Case {
  readonly caller: Caller;
  readonly params: Record<string, unknown>;
  readonly fromPool: readonly number[];
  readonly query: Record<string, unknown>;
  readonly body: unknown;
  readonly mutation: Mutation | null;
}

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

const defaultRuns = (): number => {
  const runs = Number(process.env.FUZZ_RUNS ?? '12');
  return Number.isSafeInteger(runs) && runs > 0 ? runs : 12;
};

const forgedToken = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
  JSON.stringify({ sub: '6f1c1c8e-8f4e-4b8e-9b53-0d8a5b0c1a11', role: 'admin', name: 'x', email: 'x@x.example' }),
).toString('base64url')}.`;

/** What a query or path value arrives as: text percent-encoded as UTF-8, unpaired surrogates replaced. */
const asText = (value: unknown): string => Buffer.from(String(value), 'utf8').toString('utf8');

const textValues = (values: Record<string, unknown>): Record<string, string | string[]> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? v.map(asText) : asText(v)]));

const propertiesOf = (schema: JsonSchema | undefined): Record<string, JsonSchema> =>
  (schema?.properties ?? {}) as Record<string, JsonSchema>;

/** Where a body mutation can land: each field, and the first item of each list. */
const bodyFields = (schema: JsonSchema | undefined): { path: (string | number)[]; schema: JsonSchema }[] =>
  Object.entries(propertiesOf(schema)).flatMap(([name, s]) => [
    { path: [name], schema: s },
    ...(s.type === 'array' && s.items ? [{ path: [name, 0], schema: s.items as JsonSchema }] : []),
  ]);

/** The ways this operation's requests can be spoilt; undefined when there are none (a bare GET). */
const mutationOf = (operation: Operation): fc.Arbitrary<Mutation> | undefined => {
  const options: fc.Arbitrary<Mutation>[] = [];
  for (const { path, schema } of bodyFields(operation.body)) {
    options.push(fc.constantFrom(...oddJsonValues(schema)).map((set) => ({ part: 'body', field: path, set })));
    if (path.length === 1) options.push(fc.constant({ part: 'body', field: path, remove: true }));
  }
  if (operation.body) {
    options.push(fc.constant({ part: 'body', field: ['zz_unknown_field'], set: 'surprise' }));
    options.push(fc.constantFrom('x', 42, null, [], [{}], true).map((replace) => ({ part: 'body', replace })));
  }
  for (const part of ['query', 'params'] as const)
    for (const [name, schema] of Object.entries(propertiesOf(operation[part]))) {
      const values = oddTextValues(schema).filter((v) => part === 'query' || !['.', '..'].includes(v));
      options.push(fc.constantFrom(...values).map((value) => ({ part, name, value })));
      if (part === 'query') options.push(fc.constant({ part, name, value: ['1', '2'] }));
    }
  if (operation.query) options.push(fc.constant({ part: 'query', name: 'zz_unknown', value: 'x' }));
  if (operation.method !== 'GET')
    options.push(
      fc.constantFrom<Transport>('invalid-json', 'xml', 'huge', 'unexpected-body').map((kind) => ({
        part: 'transport',
        kind,
      })),
    );
  return options.length > 0 ? fc.oneof(...options) : undefined;
};

const caseOf = (operation: Operation, tokens: number): fc.Arbitrary<Case> => {
  const mutation = mutationOf(operation);
  return fc.record({
    caller: fc.oneof(
      { weight: 10, arbitrary: fc.nat({ max: Math.max(0, tokens - 1) }).map((token) => ({ token })) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('none', 'garbage', 'unsigned', 'basic').map((anonymous) => ({ anonymous })),
      },
    ) as fc.Arbitrary<Caller>,
    params: operation.params
      ? (validValue(operation.params) as fc.Arbitrary<Record<string, unknown>>)
      : fc.constant({}),
    fromPool: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
    query: operation.query ? (validValue(operation.query) as fc.Arbitrary<Record<string, unknown>>) : fc.constant({}),
    body: operation.body ? validValue(operation.body) : fc.constant(undefined),
    mutation: mutation ? fc.option(mutation, { freq: 2 }) : fc.constant(null),
  });
};

const withField = (value: unknown, path: readonly (string | number)[], set: unknown, remove: boolean): unknown => {
  if (path.length === 0) return set;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const container = (
    Array.isArray(value) ? [...value] : typeof value === 'object' && value !== null ? { ...value } : {}
  ) as Record<string | number, unknown>;
  if (remove && rest.length === 0) delete container[head];
  else container[head] = withField(container[head], rest, set, remove);
  return container;
};

/** The field a 400 must name for a mutation: `body.title`, `querystring.page`, `params.id`. */
const fieldOf = (mutation: Mutation): string | undefined => {
  if (mutation.part === 'transport') return undefined;
  if ('name' in mutation) return `${mutation.part === 'query' ? 'querystring' : 'params'}.${mutation.name}`;
  if ('replace' in mutation) return 'body';
  return ['body', ...mutation.field].join('.');
};

const related = (a: string, b: string): boolean => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

export const fuzzService = async (target: FuzzTarget): Promise<FuzzReport> => {
  const doc = (await (await fetch(`${target.url}/docs/json`)).json()) as OpenApiDocument;
  const operations = operationsOf(doc);
  const pool = new Map<string, string[]>();
  const paramNames = new Set(operations.flatMap((o) => Object.keys(propertiesOf(o.params))));
  const statuses: Record<string, number> = {};
  let requests = 0;

  /** Remembers ids the service answered with, so that path parameters hit what exists. */
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (typeof value === 'object' && value !== null)
      for (const [key, item] of Object.entries(value)) {
        if (paramNames.has(key) && typeof item === 'string') {
          const seen = pool.get(key) ?? [];
          if (!seen.includes(item)) seen.push(item);
          pool.set(key, seen.slice(-50));
        } else collect(item);
      }
  };

  // Per operation, the tokens it refused with 403: most requests then come from callers it lets
  // in, so that a route for one role is not fuzzed mostly up to its role guard.
  const refusedCallers = new Map<string, Set<number>>();
  const callerFor = (operation: Operation, c: Case): Caller => {
    if (!('token' in c.caller)) return c.caller;
    const refused = refusedCallers.get(`${operation.method} ${operation.path}`) ?? new Set<number>();
    const allowed = target.tokens.map((_t, i) => i).filter((i) => !refused.has(i));
    const keep = allowed.length === 0 || (c.fromPool[3] ?? 0) % 5 === 0;
    return keep ? c.caller : { token: allowed[c.caller.token % allowed.length] as number };
  };
  const noteRefusal = (operation: Operation, caller: Caller, status: number): void => {
    if (status !== 403 || !('token' in caller)) return;
    const key = `${operation.method} ${operation.path}`;
    refusedCallers.set(key, (refusedCallers.get(key) ?? new Set<number>()).add(caller.token));
  };

  const authorization = (caller: Caller): string | undefined => {
    if ('token' in caller) return `Bearer ${target.tokens[caller.token] ?? ''}`;
    if (caller.anonymous === 'garbage') return 'Bearer not-a-token';
    if (caller.anonymous === 'unsigned') return `Bearer ${forgedToken}`;
    if (caller.anonymous === 'basic') return 'Basic YWRtaW46YWRtaW4=';
    return undefined;
  };

  /** The request a case stands for, and whether the document says it is valid. */
  const build = (operation: Operation, c: Case, caller: Caller): { sent: Sent; valid: boolean; baseValid: boolean } => {
    let params: Record<string, unknown> = { ...c.params };
    Object.keys(params).forEach((name, i) => {
      const seen = pool.get(name) ?? [];
      const pick = c.fromPool[i % c.fromPool.length] ?? 0;
      if (seen.length > 0 && pick % 3 !== 0) params[name] = seen[pick % seen.length];
    });
    let query: Record<string, unknown> = { ...c.query };
    let body = c.body;
    const m = c.mutation;
    const baseValid =
      validText(operation.params, textValues(params)) &&
      validText(operation.query, textValues(query)) &&
      validBody(operation.body, operation.bodyRequired, body);
    if (m?.part === 'params') params = { ...params, [m.name]: m.value };
    if (m?.part === 'query') query = { ...query, [m.name]: m.value };
    if (m?.part === 'body')
      body = 'replace' in m ? m.replace : withField(body, m.field, 'set' in m ? m.set : undefined, 'remove' in m);
    const path = operation.path.replace(/\{(\w+)\}/g, (_all, name: string) =>
      encodeURIComponent(asText(params[name] ?? '')),
    );
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(textValues(query))) for (const item of [v].flat()) search.append(k, item);
    const headers: Record<string, string> = {};
    const auth = authorization(caller);
    if (auth) headers.authorization = auth;
    let text = body === undefined ? undefined : JSON.stringify(body);
    if (text !== undefined) headers['content-type'] = 'application/json';
    if (m?.part === 'transport') {
      if (m.kind === 'invalid-json') text = '{"unterminated":';
      if (m.kind === 'huge') text = JSON.stringify({ padding: 'x'.repeat(1_100_000) });
      if (m.kind === 'unexpected-body' && text === undefined) text = '{"surprise":true}';
      headers['content-type'] = m.kind === 'xml' ? 'application/xml' : 'application/json';
      if (m.kind === 'xml') text = '<task><title>x</title></task>';
    }
    // Broken JSON, another media type and an oversized body are refused whatever the fields say.
    const brokenTransport = m?.part === 'transport' && m.kind !== 'unexpected-body';
    const valid =
      !brokenTransport &&
      validText(operation.params, textValues(params)) &&
      validText(operation.query, textValues(query)) &&
      validBody(operation.body, operation.bodyRequired, body);
    const qs = search.toString();
    return {
      sent: { method: operation.method, url: `${target.url}${path}${qs ? `?${qs}` : ''}`, headers, body: text },
      valid,
      baseValid,
    };
  };

  const check = async (operation: Operation, c: Case): Promise<void> => {
    const caller = callerFor(operation, c);
    const { sent, valid, baseValid } = build(operation, c, caller);
    const before = await target.snapshot();
    const response = await fetch(sent.url, { method: sent.method, headers: sent.headers, body: sent.body });
    const text = await response.text();
    requests += 1;
    const status = response.status;
    statuses[status] = (statuses[status] ?? 0) + 1;
    noteRefusal(operation, caller, status);
    const where = `${target.name}: ${sent.method} ${sent.url.slice(0, 300)} ${JSON.stringify(sent.body?.slice(0, 300))} → ${status} ${text.slice(0, 500)}`;
    const fail = (why: string): never => {
      throw new Error(`${why}\n  ${where}`);
    };
    if (status >= 500) fail('answered 5xx');
    if (!documents(operation, status)) fail(`answered ${status}, which its OpenAPI entry does not list`);
    const json = (() => {
      try {
        return text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        return undefined;
      }
    })();
    if (status < 400) {
      collect(json);
      if (!valid) fail('accepted a request its own OpenAPI document says is invalid');
      return;
    }
    const problem = json as {
      type?: unknown;
      title?: unknown;
      status?: unknown;
      detail?: unknown;
      errors?: { field: string }[];
    };
    if (!/^application\/problem\+json/.test(response.headers.get('content-type') ?? ''))
      fail('refused without problem details');
    if (typeof problem?.type !== 'string' || typeof problem.detail !== 'string' || problem.status !== status)
      fail('refused with malformed problem details');
    const anonymous = !('token' in caller);
    // A URL the router cannot take apart (a path parameter past its maximum length) is refused
    // before any route, so before authentication: 400 naming `params` is the right answer then.
    const unroutable = status === 400 && (problem.errors ?? []).some((e) => e.field === 'params');
    if (operation.secured && anonymous && status !== 401 && !unroutable)
      fail('a request without a valid token was not answered 401');
    const field = c.mutation ? fieldOf(c.mutation) : undefined;
    if (status === 400 && field !== undefined) {
      const named = (problem.errors ?? []).map((e) => e.field);
      if (named.length === 0) fail('a 400 that names no field');
      if (baseValid && !valid && !named.some((n) => related(n, field))) fail(`a 400 that does not name ${field}`);
    }
    if (!valid && !anonymous && status !== 400 && status !== 401 && status !== 413 && status !== 415)
      fail('refused a request its document says is invalid with something else than 400');
    if (!isDeepStrictEqual(await target.snapshot(), before)) fail('a refused request changed the data');
  };

  for (const operation of operations) {
    await fc.assert(
      fc.asyncProperty(caseOf(operation, target.tokens.length), (c) => check(operation, c)),
      {
        numRuns: target.runs ?? defaultRuns(),
        endOnFailure: true,
        ...(target.seed === undefined ? {} : { seed: target.seed }),
      },
    );
  }
  return { operations: operations.length, requests, statuses };
};
