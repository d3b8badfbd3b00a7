import { describe, expect, it } from 'vitest';
import { readmeConfigTable, renderConfigTable } from './config-table.js';

describe('README configuration table', () => {
  it('lists exactly the variables the code reads (run `npm run docs:config` after changing one)', async () => {
    expect(await readmeConfigTable()).toBe(await renderConfigTable());
  });
});
