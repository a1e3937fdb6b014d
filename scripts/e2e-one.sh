#!/usr/bin/env bash
# Builds the site and runs the given Playwright specs, one caller at a time: several people (or
# agents) sharing one checkout must not build into dist/ at once.
set -euo pipefail
cd "$(dirname "$0")/.."
exec flock /tmp/bratslab-e2e.lock sh -c 'npx astro build >/tmp/bratslab-build.log 2>&1 || { tail -40 /tmp/bratslab-build.log; exit 1; }; npx playwright test "$@"' sh "$@"
