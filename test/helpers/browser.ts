/**
 * Headless Chromium for browser tests: Debian's `chromium` (`.ci/run` installs it with apt when
 * missing) driven by playwright-core, which never downloads a browser. A test that needs it
 * fails loudly when it cannot start; it never skips.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Chromium is: $ROMGFX_CHROMIUM, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.ROMGFX_CHROMIUM ?? '/usr/bin/chromium';
}

/** Starts headless Chromium (playwright gives it a fresh temporary profile); `close()` ends it. */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) throw new Error(`Chromium is not installed at ${executablePath} (apt-get install chromium, or set ROMGFX_CHROMIUM): browser tests cannot run`);
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    // As root in a container: no sandbox. The network flags stop Chromium's own background
    // connections, which this machine's closed network refuses.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}
