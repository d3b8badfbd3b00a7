import { categories } from './categories.js';
import { catalogue } from './catalogue.js';

const cell = (text: string): string => text.replaceAll('|', '\\|');

/** The Markdown table of every refusal, as docs/errors.md shows it between its markers. */
export const errorsTable = (): string =>
  [
    '| Code | Status | Category | What a person is told |',
    '|---|---|---|---|',
    ...Object.entries(catalogue).map(
      ([code, spec]) => `| \`${code}\` | ${categories[spec.category]} | ${spec.category} | ${cell(spec.message)} |`,
    ),
  ].join('\n');
