// Writes src/events.generated.ts from the schemas. Run from the repository root:
//   npx tsx packages/schema-registry/src/generate-types.ts
import { writeFileSync } from 'node:fs';
import { generateTypes, generatedTypesPath } from './codegen.js';

writeFileSync(generatedTypesPath, await generateTypes());
process.stdout.write(`wrote ${generatedTypesPath}\n`);
