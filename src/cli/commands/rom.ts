/** `romgfx info`, `romgfx checksum`, `romgfx addr`: ROM identity, headers, checksums, addresses. */
import type { Command } from 'commander';
import { type Cli, registerCommands } from '../context.js';
import { openRom, type Rom, type RomInfo } from '../../rom/rom.js';
import { platformNames } from '../../rom/platform.js';
import { parseBusAddress, parseLocation, parseOffset } from '../../rom/address.js';
import { ChecksumInvalidError, InvalidArgumentError, UsageError, isRomgfxError, hex } from '../../errors.js';
import { exitCodeFor } from '../exit-codes.js';
import { writeFileAtomic } from '../../util/files.js';
import { oneShotRomOpenMode, type RomOpenMode } from '../../rom/source.js';
import { platformOption } from './platform-option.js';

export { platformOption };

function checksumLine(info: RomInfo): string {
  const c = info.checksum;
  if (!c) return info.platform === 'nes' ? 'none (NES ROMs have no checksum)' : 'none';
  const verdict = (valid: boolean) => (valid ? 'valid' : 'INVALID');
  if (c.header && c.global) {
    return `global stored ${hex(c.global.stored, 4)} computed ${hex(c.global.computed, 4)} ${verdict(c.global.valid)}; header stored ${hex(c.header.stored, 2)} computed ${hex(c.header.computed, 2)} ${verdict(c.header.valid)}`;
  }
  const width = info.platform === 'gba' ? 2 : 4;
  const complement = c.complement !== undefined ? `, complement ${hex(c.complement, 4)}` : '';
  return `stored ${hex(c.stored, width)}${complement}, computed ${hex(c.computed, width)}: ${verdict(c.valid)}`;
}

export function formatInfo(info: RomInfo): string[] {
  const lines = [
    `file        ${info.name}`,
    `platform    ${info.platform} (${platformNames[info.platform]})`,
    `title       ${info.title || '(none)'}`,
  ];
  if (info.mapping) lines.push(`mapping     ${info.mapping}, header at ${hex(info.headerOffset ?? 0)}`);
  lines.push(`size        ${info.size} bytes${info.copierHeader ? ` (+ ${info.copierHeader}-byte ${info.interleaved ? '.smd header, de-interleaved' : 'copier header, skipped'})` : ''}`);
  const nes = info.platform === 'nes' ? (info.header as { prgRomSize: number; chrRomSize: number; chrRomOffset: number | null; mapper: number }) : undefined;
  if (nes) lines.push(`nes         mapper ${nes.mapper}, PRG ${nes.prgRomSize / 1024} KiB, CHR ${nes.chrRomOffset === null ? 'RAM' : `${nes.chrRomSize / 1024} KiB at ${hex(nes.chrRomOffset)}`}`);
  lines.push(`checksum    ${checksumLine(info)}`, `crc32       ${info.crc32}`, `sha1        ${info.sha1}`);
  return lines;
}

interface CommonOptions {
  platform?: string;
  json?: boolean;
}

/**
 * Opens the ROM for one command. `info` and `checksum` read every byte (CRC-32, SHA-1, the sum),
 * so they read the file into memory: a mapping would save nothing and cost the two addons' load
 * at start-up. `addr` reads the header only: memory up to maximumReadWholeRomSizeInBytes.
 */
function open(path: string, options: CommonOptions, mode: RomOpenMode = oneShotRomOpenMode(path)): Rom {
  return openRom(path, { platform: platformOption(options.platform), mode });
}

/** Registers the ROM commands (info, checksum, addr): all of them, or those in `only`. */
export function register(program: Command, cli: Cli, only?: ReadonlySet<string>): void {
  registerCommands(program, cli, { info: registerInfo, checksum: registerChecksum, addr: registerAddr }, only);
}

function registerInfo(program: Command, cli: Cli): void {
  program
    .command('info')
    .description('identify a ROM: platform, header, mapping, checksum, CRC-32 and SHA-1')
    .argument('<rom>', 'ROM file')
    .option('--platform <name>', 'skip detection: snes, gb, gbc, gba, nes, md')
    .option('--json', 'print a JSON object')
    .action(
      cli.action((path: string, options: CommonOptions) => {
        const info = open(path, options, 'memory').info();
        if (options.json) cli.outJson(info);
        else for (const line of formatInfo(info)) cli.out(line);
      }),
    );
}

function registerChecksum(program: Command, cli: Cli): void {
  program
    .command('checksum')
    .description('verify the checksum, or write a copy with it fixed (--fix -o out)')
    .argument('<rom>', 'ROM file')
    .option('--fix', 'write a corrected copy (the input is never changed)')
    .option('-o, --output <file>', 'where --fix writes the corrected ROM')
    .option('--force', 'overwrite the output file if it exists')
    .option('--platform <name>', 'skip detection: snes, gb, gbc, gba, nes, md')
    .option('--json', 'print a JSON object')
    .action(
      cli.action((path: string, options: CommonOptions & { fix?: boolean; output?: string; force?: boolean }) => {
        const rom = open(path, options, 'memory');
        const before = rom.checksums();
        if (!options.fix) {
          if (options.output) throw new UsageError('-o is only used with --fix');
          // An invalid checksum is a data failure (exit 65) so scripts can test for it; the
          // report is printed as usual first.
          const invalidParts = before ? before.parts.filter((p) => !p.valid).map((p) => p.kind) : [];
          const invalid = invalidParts.length > 0 ? new ChecksumInvalidError(path, { invalid: invalidParts }) : undefined;
          if (options.json) cli.outJson({ platform: rom.platform, checksum: before, ...(invalid ? invalid.toJSON() : {}) });
          else cli.out(`checksum    ${checksumLine(rom.info())}`);
          if (!invalid) return;
          if (!options.json) cli.warn(`${invalid.code}: ${invalid.message}`);
          return exitCodeFor(invalid.category);
        }
        if (!options.output) throw new UsageError('--fix needs -o <file>: romgfx never changes its input ROM');
        const { data, report } = rom.withFixedChecksums();
        // Keep the file's layout: a copier header stays in front (an .smd is written de-interleaved).
        const result = writeFileAtomic(options.output, [rom.copierHeader(), data], { force: options.force });
        if (options.json) cli.outJson({ platform: rom.platform, before, after: report, output: result.path, bytes: result.bytes });
        else cli.out(`wrote ${result.path}: checksum ${hex(report.stored, rom.platform === 'gba' ? 2 : 4)} (was ${before ? hex(before.stored, rom.platform === 'gba' ? 2 : 4) : 'none'})${rom.interleaved ? ' (de-interleaved binary)' : ''}`);
      }),
    );
}

function registerAddr(program: Command, cli: Cli): void {
  program
    .command('addr')
    .description('convert between bus addresses ($C0:1234, C0:1234; NES $8000, $03:8000, ppu:$1000) and ROM offsets (0x8120)')
    .argument('<rom>', 'ROM file (its mapping decides the conversion)')
    .argument('<value>', 'a bus address or a ROM offset')
    .option('--bus', 'read <value> as a bus address (also bare hex: C01234, 0xC01234)')
    .option('--offset', 'read <value> as a ROM offset')
    .option('--platform <name>', 'skip detection: snes, gb, gbc, gba, nes, md')
    .option('--json', 'print a JSON object')
    .action(
      cli.action((path: string, value: string, options: CommonOptions & { bus?: boolean; offset?: boolean }) => {
        if (options.bus && options.offset) throw new UsageError('give --bus or --offset, not both');
        const rom = open(path, options);
        const results: { from: 'bus' | 'offset'; busAddress: number; romOffset: number; fileOffset: number }[] = [];
        const fromBus = (address: number) => {
          const offset = rom.fromBusAddress(address);
          results.push({ from: 'bus', busAddress: address, romOffset: offset, fileOffset: offset + rom.copierHeaderSize });
        };
        const fromOffset = (offset: number) => {
          const address = rom.toBusAddress(offset);
          results.push({ from: 'offset', busAddress: address, romOffset: offset, fileOffset: offset + rom.copierHeaderSize });
        };
        if (/^ppu:/iu.test(value.trim())) {
          if (options.bus || options.offset) throw new UsageError('ppu:… is a PPU address; leave out --bus and --offset');
          const offset = rom.fromPpuAddress(value.trim().slice(4));
          const ppu = { ppu: value.trim(), romOffset: offset, fileOffset: offset + rom.copierHeaderSize };
          if (options.json) cli.outJson([ppu]);
          else cli.out(`${ppu.ppu} = ROM offset ${hex(offset)}`);
          return;
        }
        if (options.bus) fromBus(parseBusAddress(value));
        else if (options.offset) fromOffset(parseOffset(value));
        else {
          const location = parseLocation(value);
          if (location.kind === 'bus') fromBus(location.value);
          else {
            // A bare number may be either; report every reading that is valid for this ROM.
            const errors: unknown[] = [];
            for (const attempt of [() => fromOffset(location.value), () => fromBus(location.value)]) {
              try {
                attempt();
              } catch (error) {
                if (!isRomgfxError(error)) throw error;
                errors.push(error);
              }
            }
            if (results.length === 0) throw errors[0] ?? new InvalidArgumentError(`${value} is neither a ROM offset nor a bus address of this ROM`);
          }
        }
        if (options.json) {
          cli.outJson(results.map((r) => ({ ...r, bus: rom.formatBusAddress(r.busAddress) })));
          return;
        }
        for (const r of results) {
          const bus = rom.formatBusAddress(r.busAddress);
          const file = rom.copierHeaderSize ? ` (file offset ${hex(r.fileOffset)})` : '';
          cli.out(r.from === 'bus' ? `bus ${bus} = ROM offset ${hex(r.romOffset)}${file}` : `ROM offset ${hex(r.romOffset)} = bus ${bus}${file}`);
        }
      }),
    );
}
