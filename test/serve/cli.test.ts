/**
 * `romgfx serve` as a user starts it: prints its URL, answers, and Ctrl-C (SIGINT) or SIGTERM
 * drains and exits 0. The wrong turns: no ROM, a public --host without --token, a bad port.
 * Runs the compiled CLI (`npx tsc -p .` first).
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, runCli } from '../helpers/cli.js';
import { makeFixtures, type ServeFixtures } from './helpers.js';
import { openerCommand } from '../../src/cli/commands/serve.js';

let fixtures: ServeFixtures;
beforeAll(() => {
  fixtures = makeFixtures();
});
afterAll(() => rmSync(fixtures.dir, { recursive: true, force: true }));

function startCli(signal: 'SIGINT' | 'SIGTERM'): Promise<{ code: number | null; stdout: string; health: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, 'serve', fixtures.snesRom, '--defs', fixtures.snesDefs, '--port', '0', '--no-cache', '--out', join(fixtures.dir, 'out')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let health = 0;
    let asked = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
      if (match && !asked) {
        asked = true;
        fetch(new URL('/api/roms/r0/thumbnail?offset=0x8120&format=snes4bpp&tiles=16', match[1]))
          .then(async (r) => {
            health = r.status;
            child.kill(signal);
          })
          .catch(reject);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, health }));
  });
}

describe('romgfx serve (CLI)', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('prints its URL, serves, and exits 0 on %s after draining', async (signal) => {
    const run = await startCli(signal);
    expect(run.health).toBe(200);
    expect(run.stdout).toMatch(/^romgfx serve: http:\/\/127\.0\.0\.1:\d+\/ {2}\(1 ROM\(s\)/m);
    expect(run.stdout).toMatch(/romgfx serve: stopped/);
    expect(run.code).toBe(0);
  });

  it('refuses what it cannot serve safely or at all', () => {
    const noRom = runCli(['serve', '--port', '0']);
    expect(noRom.code).toBe(64);
    expect(noRom.stderr).toMatch(/give at least one ROM/);
    const publicHost = runCli(['serve', fixtures.snesRom, '--host', '0.0.0.0', '--port', '0', '--no-cache']);
    expect(publicHost.code).toBe(64);
    expect(publicHost.stderr + publicHost.stdout).toMatch(/--token/);
    const badPort = runCli(['serve', fixtures.snesRom, '--port', '99999']);
    expect(badPort.code).toBe(64);
    const missing = runCli(['serve', join(fixtures.dir, 'nope.sfc'), '--port', '0', '--no-cache']);
    expect(missing.code).toBe(66);
  });

  it('--open runs --open-with, else $BROWSER, else the system opener (the browser test runs one on the URL)', () => {
    expect(openerCommand('/opt/firefox/firefox', 'chromium')).toBe('/opt/firefox/firefox');
    expect(openerCommand(undefined, 'chromium:firefox')).toBe('chromium');
    expect(openerCommand('  ', 'w3m')).toBe('w3m');
    const system = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    expect(openerCommand(undefined, undefined)).toBe(system);
    expect(openerCommand(undefined, '')).toBe(system);
  });
});
