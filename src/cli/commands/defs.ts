/** `romgfx defs validate|import-spritepal|match`: game definition files. */
import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Cli } from '../context.js';
import { EXIT_DATA, EXIT_OK, EXIT_PARTIAL_FAILURE } from '../exit-codes.js';
import { DefinitionNoMatchError, FileNotFoundError, IoError, isRomgfxError, hex, type RomgfxError } from '../../errors.js';
import { openRom } from '../../rom/rom.js';
import { readFileBytes } from '../../rom/source.js';
import { assertWritable, writeFileAtomic } from '../../util/files.js';
import {
  gameDefinitionToJson,
  importSpritePalLocations,
  loadGameDefinition,
  loadGameDefinitions,
  matchDefinition,
  maximumDefinitionFileSizeInBytes,
  romFacts,
  resolveDefLocation,
  spriteLocation,
  locateSprite,
  type GameDefinition,
} from '../../defs/index.js';
import { checkDefinitionAgainstRom } from '../../inject/check.js';
import { platformOption } from './rom.js';

interface DefinitionSummary {
  source: string;
  id: string;
  name: string;
  platform: string;
  variants: string[];
  sprites: number;
  pointers: number;
  freeRanges: number;
  freeBytes: number;
}

function summary(definition: GameDefinition): DefinitionSummary {
  return {
    source: definition.source,
    id: definition.id,
    name: definition.name,
    platform: definition.platform,
    variants: definition.variants.map((v) => v.id),
    sprites: definition.sprites.length,
    pointers: definition.pointers.length,
    freeRanges: definition.freeSpace.length,
    freeBytes: definition.freeSpace.reduce((sum, r) => sum + (r.end - r.start), 0),
  };
}

export function register(program: Command, cli: Cli): void {
  const defs = program.command('defs').description('game definition files: validate, check against a ROM, match a ROM, import from SpritePal');

  defs
    .command('validate')
    .description('check game definition files against the format (errors name the field)')
    .argument('<files...>', 'game definition JSON file(s)')
    .option('--json', 'print a JSON object')
    .action(
      cli.action((files: string[], options: { json?: boolean }) => {
        if (files.length === 1) {
          const definition = loadGameDefinition(files[0]!);
          const s = summary(definition);
          if (options.json) cli.outJson({ valid: true, ...s });
          else cli.out(`${files[0]}: valid — ${definition.id} (${definition.name}), ${definition.platform}, ${definition.variants.length} variant(s), ${definition.sprites.length} sprite(s), ${definition.pointers.length} pointer(s), ${definition.freeSpace.length} free range(s) (${s.freeBytes} bytes)`);
          return EXIT_OK;
        }
        // Several files: report each; exit 1 when some are invalid.
        const results: Record<string, unknown>[] = [];
        let failures = 0;
        for (const file of files) {
          try {
            const definition = loadGameDefinition(file);
            results.push({ file, valid: true, ...summary(definition) });
            if (!options.json) cli.out(`${file}: valid — ${definition.id}`);
          } catch (error) {
            if (!isRomgfxError(error)) throw error;
            failures++;
            const e = error as RomgfxError;
            results.push({ file, valid: false, ...e.toJSON() });
            if (!options.json) cli.out(`${file}: INVALID — ${e.code}: ${e.message}`);
          }
        }
        if (options.json) cli.outJson({ files: results, invalid: failures });
        return failures > 0 ? EXIT_PARTIAL_FAILURE : EXIT_OK;
      }),
    );

  defs
    .command('import-spritepal')
    .description("convert SpritePal's sprite_locations.json into one game definition file per game")
    .argument('<sprite_locations.json>', "SpritePal's sprite locations file")
    .requiredOption('-o, --output <dir>', 'folder to write <id>.json files into (created if missing)')
    .option('--force', 'overwrite existing definition files')
    .option('--json', 'print a JSON object')
    .action(
      cli.action((input: string, options: { output: string; force?: boolean; json?: boolean }) => {
        const bytes = readFileBytes(input, maximumDefinitionFileSizeInBytes);
        const definitions = importSpritePalLocations(new TextDecoder().decode(bytes), input);
        const outputs = definitions.map((d) => ({ definition: d, path: join(options.output, `${d.id}.json`) }));
        // Check every output before writing any, so a refusal leaves nothing half-imported.
        for (const o of outputs) assertWritable(o.path, options.force);
        try {
          mkdirSync(options.output, { recursive: true });
        } catch (error) {
          throw new IoError(`cannot create ${options.output}: ${(error as Error).message}`, { path: options.output }, { cause: error });
        }
        for (const o of outputs) {
          const text = JSON.stringify(gameDefinitionToJson(o.definition), null, 2) + '\n';
          writeFileAtomic(o.path, new TextEncoder().encode(text), { force: options.force === true });
        }
        const report = outputs.map((o) => ({ path: o.path, ...summary(o.definition) }));
        if (options.json) cli.outJson({ imported: report });
        else for (const r of report) cli.out(`wrote ${r.path}: ${r.name} — ${r.variants.length} variant(s), ${r.sprites} sprite(s)`);
      }),
    );

  defs
    .command('check')
    .description("hold a game definition to a ROM: decode every sprite, compare declared and real sizes, report every overlap of sprites, pointers and free space (exit 65 on problems)")
    .argument('<rom>', 'ROM file')
    .requiredOption('--defs <game.json>', 'game definition')
    .option('--variant <id>', 'definition variant (default: the one that recognises the ROM)')
    .option('--force-definition', 'check the definition even though no variant recognises the ROM (its default offsets)')
    .option('--json', 'print a JSON object')
    .action(
      cli.action((romPath: string, options: { defs: string; variant?: string; forceDefinition?: boolean; json?: boolean }) => {
        const definition = loadGameDefinition(options.defs);
        const rom = openRom(romPath);
        const report = checkDefinitionAgainstRom(rom, definition, {
          ...(options.variant !== undefined ? { variant: options.variant } : {}),
          ...(options.forceDefinition ? { forceDefinition: true } : {}),
        });
        if (options.json) cli.outJson({ rom: romPath, ...report });
        else {
          const how = report.variantChosenBy === 'forced' ? 'no variant (forced: default offsets)' : `variant ${report.variant} (${report.variantChosenBy === 'named' ? 'named' : `matched by ${report.variantChosenBy}`})`;
          cli.out(`${romPath}: ${definition.id} (${options.defs}), ${how}`);
          for (const s of report.sprites) {
            if (!s.ok && s.packedLength === null) cli.out(`  ${s.name}: ${s.error?.code ?? 'ERR'}: ${s.error?.message ?? 'not checked'}`);
            else {
              const where = s.offset !== null ? hex(s.offset) : '?';
              const moved = s.offset !== null && s.definitionOffset !== null && s.offset !== s.definitionOffset ? ` (relocated from ${hex(s.definitionOffset)}, through its pointers)` : '';
              const declared = s.storedLength !== null ? `, storedLength ${s.storedLength}` : '';
              cli.out(`  ${s.name}: ${s.codec} at ${where}${moved}, ${s.packedLength} bytes (slot ${s.slotLength}${declared}), ${s.tileCount} tile(s)`);
            }
          }
          for (const note of report.notes) cli.out(`note: ${note}`);
          if (report.ok) cli.out(`ok: ${report.sprites.length} sprite(s), ${report.pointers.length} pointer(s), ${report.freeSpace.length} free range(s); no overlaps, every declared size agrees`);
          else {
            cli.out(`${report.problems.length}${report.problemsTruncated ? '+' : ''} problem(s):`);
            for (const p of report.problems) cli.out(`  ${p.kind}: ${p.message}`);
          }
        }
        return report.ok ? EXIT_OK : EXIT_DATA;
      }),
    );

  defs
    .command('match')
    .description('say which game definition and variant recognise a ROM (CRC-32, then SHA-1, header checksum, title)')
    .argument('<rom>', 'ROM file')
    .requiredOption('--defs <file-or-dir>', 'a game definition file, or a folder of them')
    .option('--platform <name>', 'skip detection: snes, gb, gbc, gba, nes, md')
    .option('--json', 'print a JSON object')
    .action(
      cli.action((romPath: string, options: { defs: string; platform?: string; json?: boolean }) => {
        const { definitions, skipped } = loadGameDefinitions(options.defs);
        for (const s of skipped) cli.warn(`skipped ${s.file}: ${s.reason}`);
        const rom = openRom(romPath, { platform: platformOption(options.platform), allowUnknown: true });
        const facts = romFacts(rom);
        const match = matchDefinition(definitions, facts);
        if (!match) throw new DefinitionNoMatchError(romPath, definitions.length);
        const factsJson = {
          platform: facts.platform,
          size: facts.size,
          title: facts.title ?? null,
          crc32: facts.crc32.toString(16).padStart(8, '0'),
          sha1: facts.sha1,
          headerChecksum: facts.headerChecksum ?? null,
        };
        if (options.json) {
          cli.outJson({
            rom: romPath,
            skipped,
            facts: factsJson,
            match: {
              definition: match.definition.id,
              name: match.definition.name,
              source: match.definition.source,
              variant: match.variant.id,
              variantName: match.variant.name ?? null,
              matchedBy: match.matchedBy,
              alsoMatched: match.alsoMatched,
            },
            // Where the matched variant's blocks are in this ROM: through their pointers when they have
            // any (after a relocation the definition's offset is stale), as extract-all finds them.
            sprites: match.definition.sprites.map((sprite) => {
              const location = spriteLocation(sprite, match.variant.id);
              let definitionOffset: number | null = null;
              try {
                definitionOffset = resolveDefLocation(location, rom);
                const located = locateSprite(rom, match.definition, sprite, match.variant.id);
                return { name: sprite.name, location: location.text, offset: located.offset, definitionOffset, from: located.from, relocated: located.offset !== definitionOffset };
              } catch (error) {
                if (!isRomgfxError(error)) throw error;
                return { name: sprite.name, location: location.text, offset: null, definitionOffset, error: error.message };
              }
            }),
          });
        } else {
          const evidence =
            match.matchedBy === 'crc32'
              ? `CRC-32 ${factsJson.crc32}`
              : match.matchedBy === 'sha1'
                ? `SHA-1 ${facts.sha1}`
                : match.matchedBy === 'headerChecksum'
                  ? `header checksum ${hex(facts.headerChecksum ?? 0, 4)}${match.variant.title ? ` and title "${match.variant.title}"` : ''}`
                  : `title "${facts.title ?? ''}" only (weakest evidence)`;
          cli.out(`${romPath}: ${match.definition.name} [${match.definition.id}], variant ${match.variant.id}${match.variant.name ? ` (${match.variant.name})` : ''}, by ${evidence}`);
          cli.out(`definition: ${match.definition.source}`);
          if (match.alsoMatched.length > 0) cli.warn(`also matched at the same level: ${match.alsoMatched.map((m) => `${m.definition}/${m.variant}`).join(', ')}`);
        }
      }),
    );
}
