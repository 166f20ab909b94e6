/**
 * bench/rom-open: open + identify + read header, checksum verification, and 1,000 random 64-byte
 * reads, through the read-only mapping versus `fs.readFile` of the whole file, on synthetic 4, 16
 * and 32 MiB ROMs. Files are freshly written, so both paths read from the page cache: this
 * measures romgfx's own cost, not the disk.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRom, romFromBytes } from '../../src/rom/rom.js';
import { buildSnesRom } from '../../src/rom/build.js';
import { header, mbPerSecond, measure, table } from '../harness.js';

const mebibyte = 1024 * 1024;
const windowCount = 1000;
const windowSizeInBytes = 64;

header('rom-open: mmap vs readFile');
const dir = mkdtempSync(join(tmpdir(), 'romgfx-bench-open-'));
try {
  const rows: (string | number)[][] = [['size', 'mmap open ms', 'readFile open ms', 'ratio', 'mmap sum ms', 'MB/s', 'copy MB/s', 'sum/copy', '1000 reads mmap ms', 'readFile ms', 'ratio']];
  for (const mib of [4, 16, 32]) {
    const size = mib * mebibyte;
    const path = join(dir, `rom-${mib}.sfc`);
    writeFileSync(path, buildSnesRom({ mapping: mib === 4 ? 'hirom' : 'exhirom', size, filler: 'random' }));

    const openMapped = await measure(() => openRom(path).header, 15, 2);
    const openRead = await measure(() => romFromBytes(readFileSync(path)).header, 15, 2);

    const rom = openRom(path);
    rom.data[0]; // fault in the first page outside the timing
    const sumMapped = await measure(() => rom.checksums(), 7, 1);
    const copyTarget = Buffer.allocUnsafe(size);
    const dataBuffer = Buffer.from(rom.data.buffer, rom.data.byteOffset, rom.data.byteLength);
    const copy = await measure(() => dataBuffer.copy(copyTarget), 7, 1);

    // Deterministic offsets, the same for both paths.
    const offsets = new Uint32Array(windowCount);
    let x = 0x9e3779b9;
    for (let i = 0; i < windowCount; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      offsets[i] = x % (size - windowSizeInBytes);
    }
    let sink = 0;
    const readsMapped = await measure(() => {
      const r = openRom(path);
      for (let i = 0; i < windowCount; i++) sink += r.read(offsets[i]!, windowSizeInBytes)[7]!;
    }, 9, 1);
    const readsWhole = await measure(() => {
      const r = romFromBytes(readFileSync(path));
      for (let i = 0; i < windowCount; i++) sink += r.read(offsets[i]!, windowSizeInBytes)[7]!;
    }, 9, 1);
    if (sink < 0) console.log(sink);

    rows.push([
      `${mib} MiB`,
      openMapped.medianMs,
      openRead.medianMs,
      `${(openRead.medianMs / openMapped.medianMs).toFixed(0)}×`,
      sumMapped.medianMs,
      mbPerSecond(size, sumMapped.medianMs),
      mbPerSecond(size, copy.medianMs),
      (copy.medianMs / sumMapped.medianMs).toFixed(2),
      readsMapped.medianMs,
      readsWhole.medianMs,
      `${(readsWhole.medianMs / readsMapped.medianMs).toFixed(0)}×`,
    ]);
  }
  table(rows);
  console.log('open = open + identify + parse header (no checksum); sum = full checksum verification; ratios are readFile ÷ mmap and sum speed ÷ Buffer.copy speed.');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
