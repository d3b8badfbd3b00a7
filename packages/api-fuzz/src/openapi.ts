/** The parts of an OpenAPI 3.1 document (as @fastify/swagger writes it) that the fuzzer reads. */
export type JsonSchema = { readonly [key: string]: unknown };

interface ParameterObject {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema?: JsonSchema;
}

interface OperationObject {
  readonly parameters?: readonly ParameterObject[];
  readonly requestBody?: { readonly required?: boolean; readonly content?: Record<string, { schema?: JsonSchema }> };
  readonly responses?: Record<string, unknown>;
  readonly security?: readonly unknown[];
}

export interface OpenApiDocument {
  readonly paths?: Record<string, Record<string, OperationObject>>;
  readonly components?: { readonly schemas?: Record<string, JsonSchema> };
}

/** One operation, its inputs as JSON Schemas with every `$ref` resolved. */
export interface Operation {
  readonly method: string;
  /** The OpenAPI path, e.g. `/api/tasks/{id}`. */
  readonly path: string;
  /** Path parameters as an object schema (every one required). */
  readonly params: JsonSchema | undefined;
  /** Query parameters as an object schema. */
  readonly query: JsonSchema | undefined;
  readonly body: JsonSchema | undefined;
  readonly bodyRequired: boolean;
  /** The statuses the document lists: what the operation may answer. */
  readonly statuses: readonly string[];
  /** Whether it needs a bearer token. */
  readonly secured: boolean;
}

const methods = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * Replaces every `{ $ref: '#/components/schemas/X' }` with X, recursively (aTES schemas are not
 * recursive), dropping `$id`s so that the result compiles on its own.
 */
export const resolveRefs = (doc: OpenApiDocument, schema: unknown, depth = 0): unknown => {
  if (depth > 32 || typeof schema !== 'object' || schema === null) return schema;
  if (Array.isArray(schema)) return schema.map((s) => resolveRefs(doc, s, depth + 1));
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    const name = ref.replace(/^#\/components\/schemas\//, '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    return resolveRefs(doc, target, depth + 1);
  }
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([k]) => k !== '$id')
      .map(([k, v]) => [k, resolveRefs(doc, v, depth + 1)]),
  );
};

const objectOf = (parameters: readonly ParameterObject[], doc: OpenApiDocument): JsonSchema | undefined =>
  parameters.length === 0
    ? undefined
    : {
        type: 'object',
        properties: Object.fromEntries(parameters.map((p) => [p.name, resolveRefs(doc, p.schema ?? {})])),
        required: parameters.filter((p) => p.required || p.in === 'path').map((p) => p.name),
      };

/** Every operation of the document. */
export const operationsOf = (doc: OpenApiDocument): Operation[] =>
  Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => methods.includes(method))
      .map(([method, op]) => {
        const parameters = op.parameters ?? [];
        const json = op.requestBody?.content?.['application/json']?.schema;
        return {
          method: method.toUpperCase(),
          path,
          params: objectOf(
            parameters.filter((p) => p.in === 'path'),
            doc,
          ),
          query: objectOf(
            parameters.filter((p) => p.in === 'query'),
            doc,
          ),
          body: json ? (resolveRefs(doc, json) as JsonSchema) : undefined,
          bodyRequired: op.requestBody?.required === true,
          statuses: Object.keys(op.responses ?? {}),
          secured: (op.security ?? []).length > 0,
        };
      }),
  );

/** Whether `status` is one of the answers the operation documents (exact, or a range such as 4XX). */
export const documents = (operation: Pick<Operation, 'statuses'>, status: number): boolean =>
  operation.statuses.some((s) => s === String(status) || s === `${String(status)[0]}XX` || s === 'default');
