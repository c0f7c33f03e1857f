// Debian's chromium driven by playwright-core (lab-machine notes: no
// browser downloads; these flags; a fresh profile), and the page helpers
// the browser tests share. Not a test file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from '../helpers/ovs.js';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser tests cannot run here, or true. As root a missing chromium is a failure, not a skip. */
export function browserAvailable(): true | { unavailable: string; fail: boolean } {
  if (existsSync(CHROMIUM)) return true;
  const root = process.getuid?.() === 0;
  return { unavailable: `no ${CHROMIUM} (install it: bash scripts/lib/ensure-packages.sh chromium)`, fail: root };
}

/** Build the web view from ui/ so the page under test is the code under test. */
export function buildUi(): void {
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-ui.mjs')], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export async function openBrowser(viewport = { width: 1400, height: 860 }): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'sy-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport, deviceScaleFactor: 1 });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    browser: context.browser()!,
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What the map holds now, read from cytoscape in the page. */
export interface MapCounts {
  switches: number;
  hosts: number;
  links: number;
  downLinks: number;
}

export function mapCounts(page: Page): Promise<MapCounts> {
  return page.evaluate(() => {
    const cy = (window as any).__switchyard?.cy;
    if (!cy) return { switches: 0, hosts: 0, links: 0, downLinks: 0 };
    return {
      switches: cy.nodes('[kind = "switch"]').length,
      hosts: cy.nodes('[kind = "host"], [kind = "endpoint"]').length,
      links: cy.edges('[kind = "link"]').length,
      downLinks: cy.edges('[kind = "link"].down').length,
    };
  });
}

/** Click a node where it is drawn (a real mouse click on the canvas, as a user would). */
export async function clickNode(page: Page, id: string): Promise<void> {
  const p = await page.evaluate((nodeId) => {
    const cy = (window as any).__switchyard.cy;
    const n = cy.getElementById(nodeId);
    const box = cy.container().getBoundingClientRect();
    const r = n.renderedPosition();
    return { x: box.left + r.x, y: box.top + r.y };
  }, id);
  await page.mouse.click(p.x, p.y);
}

/** Poll a page-side predicate until it holds, or throw saying what did not happen. */
export async function waitInPage<T>(page: Page, what: string, fn: (arg: any) => T | false | undefined | null, timeoutMs = 15_000, arg?: unknown): Promise<T> {
  const h = await page.waitForFunction(fn, arg, { timeout: timeoutMs, polling: 100 }).catch((e: unknown) => {
    throw new Error(`${what}: not within ${timeoutMs} ms (${String(e).split('\n')[0]})`);
  });
  return (await h.jsonValue()) as T;
}
