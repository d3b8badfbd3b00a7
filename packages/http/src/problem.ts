import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, catalogue, isAppError, validationError, type FieldIssue, type RefusalCode } from '@ates/errors';

/** RFC 9457 problem details, the only error shape the HTTP API answers with. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly code: string;
  readonly request_id: string;
  readonly errors?: readonly FieldIssue[];
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const problemType = (code: string): string => `urn:ates:problem:${code}`;

type AjvIssue = { instancePath?: string; keyword?: string; message?: string; params?: Record<string, unknown> };

/** Names the offending field of each schema violation (`body.title`, `querystring.status`, …). */
const fieldIssues = (error: FastifyError): FieldIssue[] => {
  const context = (error as { validationContext?: string }).validationContext ?? 'body';
  return ((error.validation ?? []) as AjvIssue[]).map((v) => {
    const base = (v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const extra =
      v.keyword === 'required'
        ? String(v.params?.missingProperty)
        : v.keyword === 'additionalProperties'
          ? String(v.params?.additionalProperty)
          : '';
    const field = [context, base, extra].filter(Boolean).join('.');
    const message =
      v.keyword === 'additionalProperties'
        ? 'is not a known field'
        : v.keyword === 'required'
          ? 'is required'
          : (v.message ?? 'is invalid');
    return { field, message };
  });
};

/** Fastify's own refusals (unreadable body, too large, wrong content type), as catalogue codes. */
const fastifyRefusal = (error: FastifyError): AppError | undefined => {
  if (typeof error.statusCode !== 'number' || error.statusCode < 400 || error.statusCode >= 500) return undefined;
  const code: RefusalCode =
    error.statusCode === 413
      ? 'request.body_too_large'
      : error.statusCode === 415
        ? 'request.unsupported_media_type'
        : error.statusCode === 404
          ? 'route.not_found'
          : 'request.malformed_body';
  // The body as a whole is what is wrong (unreadable, too large, of the wrong type): it is the field named.
  const issues = code === 'route.not_found' ? [] : [{ field: 'body', message: error.message }];
  return new AppError(code, error.message, { issues });
};

const toAppError = (error: unknown): AppError | undefined => {
  if (isAppError(error)) return error;
  const fe = error as FastifyError;
  if (fe.validation) {
    const issues = fieldIssues(fe);
    return validationError(issues, {
      message: `Invalid request: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}.`,
    });
  }
  return fastifyRefusal(fe);
};

export const sendProblem = (
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  errors?: readonly FieldIssue[],
): FastifyReply =>
  reply
    .status(status)
    .type('application/problem+json')
    .send({
      type: problemType(code),
      title: titles[status] ?? 'Error',
      status,
      detail,
      instance: request.url,
      code,
      request_id: String(request.id),
      ...(errors && errors.length > 0 ? { errors } : {}),
    } satisfies Problem);

/** The one place where errors become responses. Unknown errors are bugs: logged, answered 500. */
export const errorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
  const known = toAppError(error);
  if (known && known.status < 500) {
    request.log.info({ code: known.code, detail: known.message }, 'request refused');
    return sendProblem(request, reply, known.status, known.code, known.message, known.issues);
  }
  if (known) {
    request.log.error({ err: known }, 'dependency unavailable');
    return sendProblem(request, reply, known.status, known.code, known.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  const internal = 'server.internal_error';
  return sendProblem(request, reply, 500, internal, catalogue[internal].message);
};
