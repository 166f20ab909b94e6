import type { CommandModule } from '../main.js';
import * as rom from './rom.js';
import * as demo from './demo.js';
import * as patch from './patch.js';
import * as defs from './defs.js';
import * as codecs from './codecs.js';
import * as gfx from './gfx.js';
import * as convert from './convert.js';
import * as thumbs from './thumbs.js';
import * as inject from './inject.js';
import * as scan from './scan.js';
import * as version from './version.js';
import * as serve from './serve.js';

/**
 * Every CLI command module, in the order `romgfx --help` lists them. One file per command (or
 * per small family of commands) under this folder; add a line here to add a command.
 */
export const commandModules: readonly CommandModule[] = [
  rom,
  demo,
  patch,
  defs,
  codecs,
  gfx,
  convert,
  thumbs,
  inject,
  scan,
  serve,
  version,
];
