// Preloaded with `node --import` by test/cli/startup.test.ts: registers module hooks
// (loaded-modules-hooks.mjs) that append the URL of every ES module the process loads to the file
// named by ROMGFX_LOADED_MODULES_FILE, one a line, so a test can see which bundle chunks a
// command compiled.
import { register } from 'node:module';

register('./loaded-modules-hooks.mjs', import.meta.url);
