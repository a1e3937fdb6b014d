/** Chromium flags for the e2e suite (DESIGN.md); the executable comes from scripts/browser-path.mjs. */
export { chromiumExecutable } from '../../scripts/browser-path.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
];
