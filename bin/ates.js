#!/usr/bin/env node
// The one `ates` command. Our sources are TypeScript; they are compiled on demand (see build.js)
// and the CLI runs on plain Node. A supervisor passes the compiled entry to its children in
// ATES_CLI_ENTRY so that they skip the freshness check.
import { ensureBuilt } from './build.js';

const entry = process.env.ATES_CLI_ENTRY ?? (await ensureBuilt());
process.env.ATES_CLI_ENTRY = entry;
await import(entry);
