/** The services a simulation talks to, by their public base URLs. */
export interface Targets {
  readonly auth: string;
  readonly tracker: string;
  readonly accounting: string;
  readonly analytics: string;
}
export type TargetName = keyof Targets;

/** One request that did not get a 2xx–4xx answer: a 5xx, or no answer at all (status 0). */
export interface FailedRequest {
  readonly service: TargetName;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** ISO time the request was sent. */
  readonly at: string;
  /** ISO time its answer (or the failure to get one) came back. */
  readonly answered_at: string;
  readonly error?: string;
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Answers by status class per service, and every request that failed with its time. */
export class RequestLog {
  readonly counts: Record<TargetName, Record<string, number>> = {
    auth: {},
    tracker: {},
    accounting: {},
    analytics: {},
  };
  readonly failures: FailedRequest[] = [];
  total = 0;

  record(service: TargetName, method: string, path: string, status: number, at: Date, error?: string): void {
    this.total++;
    const bucket = status === 0 ? 'unreachable' : `${Math.floor(status / 100)}xx`;
    this.counts[service][bucket] = (this.counts[service][bucket] ?? 0) + 1;
    if (status === 0 || status >= 500)
      this.failures.push({
        service,
        method,
        path,
        status,
        at: at.toISOString(),
        answered_at: new Date().toISOString(),
        ...(error ? { error } : {}),
      });
  }
}

const requestTimeoutMs = 30_000;

/**
 * One JSON API call with a bearer token, recorded in `log`. A request that gets no answer
 * (refused, reset, timed out) is answered here with status 0 rather than thrown: a simulation
 * carries on through outages and counts them.
 */
export const callApi = async (
  log: RequestLog,
  targets: Targets,
  service: TargetName,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> => {
  const at = new Date();
  try {
    const response = await fetch(`${targets[service]}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text: text.slice(0, 200) };
    }
    log.record(service, method, templateOf(path), response.status, at);
    return { status: response.status, body: parsed };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    log.record(service, method, templateOf(path), 0, at, cause);
    return { status: 0, body: { error: cause } };
  }
};

/** A path with its ids replaced, so that the report groups requests by route. */
const templateOf = (path: string): string =>
  path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id').replace(/\?.*$/, '');
