import type { Logger } from '@ates/logger';

/**
 * Route schemas compiled when first needed instead of while the service starts. Fastify compiles a
 * validator for every schema'd part of every route, and a serializer for every response schema,
 * before it listens; in a service with a dashboard and an API that was a quarter of its start-up
 * CPU (docs/PERFORMANCE.md, "Start-up"), spent on routes most of which no request reaches for a
 * while. Each compiled function here compiles itself on its first call; `compileAll` compiles the
 * ones still waiting — the shell runs it a few seconds after listening, when the machine is no
 * longer busy starting services, so that first requests do not pay for it and a schema Ajv refuses
 * is reported soon after start-up, not only when a request reaches it.
 */
export interface DeferredCompiles {
  /** Compiles, one per turn of the event loop, everything not compiled yet; failures are logged. */
  compileAll(logger: Pick<Logger, 'error'>): Promise<number>;
  /** How many are still waiting. */
  pending(): number;
  /** A validator (an Ajv function: `errors` and `schemaEnv` are read by Fastify) compiled on first use. */
  validator<F extends AjvLike>(what: string, compile: () => F): F;
  /** A response serializer compiled on first use. */
  serializer<F extends (data: unknown) => string>(what: string, compile: () => F): F;
}

// Ajv's functions take its own context type; any such function will do.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AjvLike = ((data: any, context?: any) => unknown) & { errors?: unknown; schemaEnv?: unknown };

export const deferredCompiles = (): DeferredCompiles => {
  const waiting = new Map<() => unknown, string>();

  const onFirstUse = <F>(what: string, compile: () => F): (() => F) => {
    let compiled: F | undefined;
    const get = (): F => {
      if (compiled === undefined) {
        waiting.delete(get);
        compiled = compile();
      }
      return compiled;
    };
    waiting.set(get, what);
    return get;
  };

  return {
    pending: () => waiting.size,
    compileAll: async (logger) => {
      let compiled = 0;
      for (const [get, what] of [...waiting]) {
        await new Promise((resolve) => setImmediate(resolve));
        if (!waiting.has(get)) continue;
        try {
          get();
          compiled += 1;
        } catch (error) {
          // Reported once; a request that reaches it tries again and is answered 500.
          waiting.delete(get);
          logger.error({ err: error, schema: what }, 'a route schema does not compile');
        }
      }
      return compiled;
    },
    validator: <F extends AjvLike>(what: string, compile: () => F): F => {
      const get = onFirstUse(what, compile);
      const validate = ((data: unknown, context?: unknown) => get()(data, context)) as F;
      // Fastify passes the parent object (so that Ajv may coerce a root value) only to a function
      // with `schemaEnv`, which it reads before the call: reading it compiles.
      Object.defineProperties(validate, {
        schemaEnv: { get: () => get().schemaEnv },
        errors: { get: () => get().errors },
      });
      return validate;
    },
    serializer: <F extends (data: unknown) => string>(what: string, compile: () => F): F => {
      const get = onFirstUse(what, compile);
      return ((data: unknown) => get()(data)) as F;
    },
  };
};
