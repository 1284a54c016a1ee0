// Headless Chromium for the tests of the static pages (the matrix, the rendered spec): Debian's
// /usr/bin/chromium driven by playwright-core. Each page is opened from file://, as a reader
// would open it, and every console error or uncaught page error is collected.
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.LOOPSPEC_CHROMIUM ?? '/usr/bin/chromium';

/** Why the page tests cannot run here, or undefined. */
export function chromiumMissing(): string | undefined {
  return fs.existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install -y chromium)`;
}

export interface OpenedPage { page: Page; errors: string[]; close(): Promise<void> }

/** Opens a local HTML file in a fresh headless Chromium with no network. */
export async function openPage(file: string): Promise<OpenedPage> {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    // No background traffic: this machine's network is closed, and the pages need none.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const errors: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, errors, close: () => browser.close() };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
