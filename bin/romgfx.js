#!/usr/bin/env node
// The romgfx command: a thin launcher for the compiled CLI in dist/.
import { main } from '../dist/src/cli/main.js';

const code = await main(process.argv.slice(2));
// Let stdout drain before exiting (a piped `romgfx … --json | jq` must get every byte).
process.exitCode = code;
