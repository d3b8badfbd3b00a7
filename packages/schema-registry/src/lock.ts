// Adds new schema files to schemas.lock.json; refuses (exit 1) when a released one changed or
// disappeared. Run from the repository root:
//   npx tsx packages/schema-registry/src/lock.ts
import { updateLock } from './schema-lock.js';

const { added, violations } = updateLock();
for (const violation of violations) console.error(violation);
if (violations.length > 0) process.exitCode = 1;
else
  process.stdout.write(
    added.length === 0 ? 'schemas.lock.json is up to date\n' : added.map((path) => `locked ${path}\n`).join(''),
  );
