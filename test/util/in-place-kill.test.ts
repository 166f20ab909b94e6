/**
 * Kill tests of the in-place writer (`--in-place`: writeFileAtomic with `backup`), run in a child
 * process over the compiled dist/ (build first). SIGKILL at spread-out moments of the write,
 * the backup copy included, leaves the file either the old or the new version and every backup
 * either absent or complete; the next write cleans the leftovers (temporary files, a dead
 * writer's lock). Two concurrent in-place writers never lose an edit: one is refused, or they
 * run one after the other with each backup holding the version before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, tempDir } from '../helpers/cli.js';

const filesModule = pathToFileURL(join(repoRoot, 'dist', 'src', 'util', 'files.js')).href;
/** Large enough that copying, writing and fsyncing take a while; small enough for a quick test. */
const fileSizeInBytes = 8 * 1024 * 1024;
const killPoints = 6;

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('romgfx-in-place-kill-');
});
afterAll(() => dir.cleanup());

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

/**
 * A child that replaces `path` in place with `fill`-filled bytes. It prints "ready" once loaded,
 * then "done <ms>" or "error <code>".
 */
const writerSource = `
import { writeFileAtomic } from ${JSON.stringify(filesModule)};
import { statSync } from 'node:fs';
const [path, fill, size] = process.argv.slice(1);
const snapshot = statSync(path);
const data = new Uint8Array(Number(size)).fill(Number(fill));
process.stdout.write('ready\\n');
const started = performance.now();
try {
  writeFileAtomic(path, data, { backup: true, unchangedSince: snapshot });
  process.stdout.write('done ' + Math.round(performance.now() - started) + '\\n');
} catch (error) {
  process.stdout.write('error ' + (error.code ?? error.message) + '\\n');
}
`;

interface WriterRun {
  output: string;
  killed: boolean;
}

/** Runs the writer; SIGKILLs it `killAfterMs` after it says ready (never, when undefined). */
function runWriter(path: string, fill: number, killAfterMs?: number): Promise<WriterRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', writerSource, path, String(fill), String(fileSizeInBytes)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (killAfterMs !== undefined && timer === undefined && output.includes('ready')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('exit', (_code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ output, killed: signal === 'SIGKILL' });
    });
  });
}

describe('SIGKILL during an in-place write', () => {
  it('leaves the old or the new file, and backups that are absent or complete', async () => {
    const old = new Uint8Array(fileSizeInBytes).fill(1);
    const oldSha1 = sha1(old);
    const newSha1 = sha1(new Uint8Array(fileSizeInBytes).fill(2));

    // A reference run: how long the write itself takes here (the box may be busy).
    const reference = join(dir.path, 'reference.rom');
    writeFileSync(reference, old);
    const ok = await runWriter(reference, 2);
    const match = /done (\d+)/u.exec(ok.output);
    expect(match, ok.output).not.toBeNull();
    const writeMs = Math.max(5, Number(match![1]));
    expect(sha1(readFileSync(reference))).toBe(newSha1);

    // Each kill in its own folder, all at once (the test stays short on a busy machine).
    const runs = await Promise.all(
      Array.from({ length: killPoints }, async (_, k) => {
        const folder = join(dir.path, `kill-${k}`);
        mkdirSync(folder);
        const rom = join(folder, 'game.rom');
        writeFileSync(rom, old);
        // Spread from just after start to past the reference's end (the backup copy comes first).
        const run = await runWriter(rom, 2, Math.round((writeMs * 1.2 * k) / (killPoints - 1)));
        return { folder, rom, run };
      }),
    );
    let killedMidway = 0;
    for (const { folder, rom, run } of runs) {
      const now = sha1(readFileSync(rom));
      expect([oldSha1, newSha1]).toContain(now);
      const backups = readdirSync(folder).filter((n) => n.endsWith('.bak'));
      expect(backups.length).toBeLessThanOrEqual(1);
      for (const backup of backups) expect(sha1(readFileSync(join(folder, backup))), `${backup} after ${run.output}`).toBe(oldSha1);
      // A completed write always has its backup.
      if (now === newSha1) expect(backups).toHaveLength(1);
      if (run.killed && !run.output.includes('done')) killedMidway++;
    }
    expect(killedMidway).toBeGreaterThan(0);
    // The next write succeeds: a dead writer's lock is taken over and its temporary files removed.
    const nextRuns = await Promise.all(runs.map(({ rom }) => runWriter(rom, 3)));
    for (const [i, next] of nextRuns.entries()) {
      expect(next.output).toMatch(/done/u);
      expect(readdirSync(runs[i]!.folder).filter((n) => n.startsWith('.romgfx-')), `after ${runs[i]!.run.output}`).toEqual([]);
    }
  }, 120_000);
});

describe('two in-place writers of one file at once', () => {
  it('never lose an edit: one is refused (locked or changed), or each backup holds the version before it', async () => {
    for (let round = 0; round < 2; round++) {
      const folder = join(dir.path, `race-${round}`);
      mkdirSync(folder);
      const rom = join(folder, 'game.rom');
      writeFileSync(rom, new Uint8Array(fileSizeInBytes).fill(1));
      const [a, b] = await Promise.all([runWriter(rom, 2), runWriter(rom, 3)]);
      const outcomes = [a.output.trim(), b.output.trim()];
      for (const outcome of outcomes) expect(outcome).toMatch(/^ready\n(done \d+|error ERR_FILE_LOCKED|error ERR_FILE_CHANGED)$/u);
      const succeeded = outcomes.filter((o) => o.includes('done')).length;
      expect(succeeded).toBeGreaterThanOrEqual(1);
      const final = readFileSync(rom)[0];
      const backups = readdirSync(folder).filter((n) => n.endsWith('.bak'));
      expect(backups).toHaveLength(succeeded);
      // Each write read what it replaced: the backups hold 1 and (when both ran) the first writer's value.
      const backupFirstBytes = backups.map((n) => readFileSync(join(folder, n))[0]).sort();
      if (succeeded === 1) expect(backupFirstBytes).toEqual([1]);
      else expect(backupFirstBytes).toEqual([1, final === 2 ? 3 : 2].sort());
    }
  }, 60_000);
});
