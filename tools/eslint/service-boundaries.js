// An ESLint rule that keeps each service's code its own (README, "Layout"): a file under
// services/<a>/ may not import services/<b>/ — neither by a relative path nor by its package
// name (@ates/<b>). The one exception is an end-to-end test, which runs the whole system and so
// may start another service through that service's `testing` entry (`@ates/auth/testing`).
import path from 'node:path';

const services = ['auth', 'tracker', 'accounting', 'analytics'];
const root = path.resolve(import.meta.dirname, '..', '..');

const serviceOfFile = (file) => {
  const relative = path.relative(root, file).split(path.sep);
  return relative[0] === 'services' && services.includes(relative[1]) ? relative[1] : undefined;
};

const importedService = (file, source) => {
  if (source.startsWith('.')) return serviceOfFile(path.resolve(path.dirname(file), source));
  const match = /^@ates\/([^/]+)(\/.*)?$/.exec(source);
  return match && services.includes(match[1]) ? match[1] : undefined;
};

/** @type {import('eslint').Rule.RuleModule} */
export const serviceBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: "A service never imports another service's code." },
    messages: {
      crossing:
        'services/{{from}} must not import services/{{to}} ({{source}}): services talk through events; share code through packages/.',
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = serviceOfFile(file);
    if (!from) return {};
    const e2e = file.endsWith('.e2e.test.ts');
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string') return;
      const to = importedService(file, source);
      if (!to || to === from) return;
      if (e2e && source === `@ates/${to}/testing`) return;
      context.report({ node, messageId: 'crossing', data: { from, to, source } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { 'service-boundaries': serviceBoundaries } };
