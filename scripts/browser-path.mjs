// Where a system Chromium or Chrome lives (Playwright cannot download its own browser here).
import { existsSync } from 'node:fs';

export const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function chromiumExecutable() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return SYSTEM_BROWSERS.find((p) => existsSync(p));
}
