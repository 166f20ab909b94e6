/** Shared set-up for the serve tests: fixture ROMs in a temp folder and a started server. */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoRom, demoDefinition } from '../../src/demo/demo-rom.js';
import { openRom } from '../../src/rom/rom.js';
import { startServer, type RunningServer, type ServeOptions } from '../../src/serve/server.js';

/** Fixture files of one test run. */
export interface ServeFixtures {
  readonly dir: string;
  readonly snesRom: string;
  readonly snesDefs: string;
  readonly demoRom: string;
  readonly demoDefs: string;
}

/** Copies SNES_05 + its definition and writes the demo ROM + its definition into a new temp folder. */
export function makeFixtures(): ServeFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'romgfx-serve-'));
  const snesRom = join(dir, 'SNES_05.sfc');
  const snesDefs = join(dir, 'snes05.json');
  copyFileSync('fixtures/roms/snes/SNES_05.sfc', snesRom);
  copyFileSync('fixtures/defs/snes05.json', snesDefs);
  const demo = buildDemoRom();
  const demoRom = join(dir, 'demo.sfc');
  writeFileSync(demoRom, demo.bytes);
  const rom = openRom(demoRom);
  const identity = rom.identity();
  rom.close();
  const demoDefs = join(dir, 'demo.json');
  writeFileSync(demoDefs, JSON.stringify(demoDefinition(demo, identity), null, 2));
  return { dir, snesRom, snesDefs, demoRom, demoDefs };
}

/** A server on a free loopback port with its caches in the fixture folder. */
export function serveFixtures(fixtures: ServeFixtures, options: Partial<ServeOptions> = {}): Promise<RunningServer> {
  return startServer({
    roms: [fixtures.snesRom, fixtures.demoRom],
    definitions: [fixtures.snesDefs, fixtures.demoDefs],
    port: 0,
    threads: 2,
    diskCache: { directory: join(fixtures.dir, 'cache') },
    scanCache: false,
    outputDirectory: join(fixtures.dir, 'out'),
    ...options,
  });
}
