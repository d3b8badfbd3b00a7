import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError, type FieldIssue } from '@ates/errors';

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

const toAppError = (error: unknown): AppError | undefined => {
  if (isAppError(error)) return error;
  const fe = error as FastifyError;
  if (fe.validation) {
    const issues = fieldIssues(fe);
    return new AppError('validation', `Invalid request: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}.`, {
      issues,
    });
  }
  return undefined;
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
  const fe = error as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = fe.code?.replace(/^FST_ERR_/, '').toLowerCase() ?? 'bad_request';
    return sendProblem(request, reply, fe.statusCode, code, fe.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(
    request,
    reply,
    500,
    'internal',
    'An unexpected error occurred; it has been logged with this request id.',
  );
};
