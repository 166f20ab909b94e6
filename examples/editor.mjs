#!/usr/bin/env node
// An editor's whole round trip through the library, in a dozen calls:
// open a ROM with its game definition, list the sprites, decode one to RGBA (what a canvas
// takes), change some pixels, undo and redo through the edit list, and save a new ROM with a
// BPS patch. The input ROM is never written.
//
//   node examples/editor.mjs [rom] [definition.json] [output folder]
//
// Without arguments it edits the SNES homebrew ROM in fixtures/ (nesdoug's SNES_05, MIT).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openGame } from 'romgfx';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [romPath = join(root, 'fixtures/roms/snes/SNES_05.sfc'), definitionPath = join(root, 'fixtures/defs/snes05.json'), outDir = 'romgfx-example'] = process.argv.slice(2);

const game = await openGame(romPath, { definitions: [definitionPath] });
try {
  console.log(`${game.definition.name} (variant ${game.variant ?? 'default'}): ${game.sprites().length} sprites`);
  for (const sprite of game.sprites()) console.log(`  ${sprite.name}: ${sprite.codec}, ${sprite.tileFormat}, at 0x${sprite.offset.toString(16)}`);

  // Decode the first sprite: indices, palette and RGBA with the definition's transparency rule.
  const name = game.sprites()[0].name;
  const before = game.sprite(name);
  console.log(`${name}: ${before.width}x${before.height}, ${before.palette.count} colours, colour 0 ${before.transparentIndex0 ? 'transparent' : 'opaque'}`);

  // Edit: swap colours 1 and 2 everywhere (an RGBA editor would call setPixels with { rgba }).
  const indices = before.indices.map((v) => (v === 1 ? 2 : v === 2 ? 1 : v));
  game.setPixels(name, { width: before.width, height: before.height, indices });

  // Undo and redo are the caller's list of edit lists: edits are plain values.
  const history = [[], game.edits()];
  game.setEdits(history[0]);
  game.setEdits(history[1]);

  mkdirSync(outDir, { recursive: true });
  const result = await game.save({ output: join(outDir, 'edited.sfc'), patch: join(outDir, 'edited.bps'), force: true });
  for (const sprite of result.sprites) console.log(`  ${sprite.sprite}: ${sprite.outcome}`);
  console.log(`wrote ${result.output} and ${result.patch.path} (${result.patch.size} bytes)`);
} finally {
  // Lets go of the ROM (TypeScript and newer Node: `using game = await openGame(…)`).
  game.close();
}
