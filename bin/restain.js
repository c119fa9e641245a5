#!/usr/bin/env node
// The `restain` command: runs the bundled CLI (built by `npm ci`/`npm run build` into dist/).
require('../dist/restain.js');
