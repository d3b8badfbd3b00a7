import type { DefinedError, ErrorObject } from 'ajv/dist/2020.js';
import type { FieldIssue } from '@ates/errors';

/** One Ajv error as a field issue, plus the one-line reason a log or a dead letter shows. */
export interface Problem extends FieldIssue {
  readonly reason: string;
}

/** `/data/items/0/name` → `data.items[0].name`; the root is called `event`. */
const fieldOf = (instancePath: string, child?: string): string => {
  const segments = instancePath.split('/').slice(1);
  if (child !== undefined) segments.push(child);
  const field = segments
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment, i) => (/^\d+$/.test(segment) ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
  return field === '' ? 'event' : field;
};

const isDataField = (field: string): boolean => field.startsWith('data.') || field.startsWith('data[');

/** Strips `data.` for "missing data field title"; keeps the full path for the envelope. */
const scoped = (field: string): { scope: 'data' | 'envelope'; name: string } =>
  isDataField(field) ? { scope: 'data', name: field.slice('data.'.length) } : { scope: 'envelope', name: field };

const messageOf = (error: DefinedError): string => {
  switch (error.keyword) {
    case 'type':
      return `must be ${String(error.params.type).split(',').join(' or ')}`;
    case 'enum':
      return `must be one of ${error.params.allowedValues.map((value: unknown) => JSON.stringify(value)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(error.params.allowedValue)}`;
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
};

/** A readable problem for one Ajv error, e.g. `data.title must match pattern "^[^\[\]]*$"`. */
export const describeError = (ajvError: ErrorObject): Problem => {
  const error = ajvError as DefinedError;
  if (error.keyword === 'required') {
    const field = fieldOf(error.instancePath, error.params.missingProperty);
    const { scope, name } = scoped(field);
    return { field, message: 'is required', reason: `missing ${scope} field ${name}` };
  }
  if (error.keyword === 'additionalProperties') {
    const field = fieldOf(error.instancePath, error.params.additionalProperty);
    const { scope, name } = scoped(field);
    return { field, message: 'is not allowed', reason: `unexpected ${scope} field ${name}` };
  }
  const field = fieldOf(error.instancePath);
  const message = messageOf(error);
  const subject = field === 'event' || isDataField(field) ? field : `envelope field ${field}`;
  return { field, message, reason: `${subject} ${message}` };
};
