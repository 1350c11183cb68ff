#!/usr/bin/env bash
# The one command that runs every test layer (README: `npm test`). Stops at the first red layer.
set -euo pipefail
cd "$(dirname "$0")/.."

results=out/test-results
rm -rf "$results" && mkdir -p "$results"
step() { printf '\n=== %s\n' "$*"; }

step "typecheck (against Electron's own types)"
npx tsc --noEmit -p tsconfig.json

step "lint"
npx biome check --error-on-warnings .

# The keychain tests and the user stories need a real Secret Service: run them inside a private D-Bus session with
# gnome-keyring unlocked by a non-empty password, and HOME in a temp folder so nothing touches the user's keyring.
with_keyring() {
  if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
    keyring_home=$(mktemp -d)
    HOME="$keyring_home" XDG_DATA_HOME="$keyring_home/.local/share" SEAT_TRAY_KEYRING_TESTS=1 \
      dbus-run-session -- sh -c 'printf "ci-keyring-pw" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' sh "$@"
    rm -rf "$keyring_home"
  else
    echo "no dbus-run-session/gnome-keyring: the keychain tests cannot run here (they fail under CI=true)"
    "$@"
  fi
}

step "unit + integration + headless runtime (vitest)"
with_keyring npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json"

step "every user story end to end: the built window in Chromium, the real engine, keychain and settings store (vitest)"
with_keyring npx vitest run --config test/stories/vitest.config.ts --reporter=default --reporter=json \
  --outputFile.json="$results/stories.json"

step "the window in Debian's Chromium (Playwright: every state, flows, axe, screenshots)"
PLAYWRIGHT_JSON_OUTPUT_FILE="$results/window.json" npx playwright test --reporter=list,json

step "packaging: electron-builder --dir with a stand-in Electron; asar contents, unpacked keytar, fuses"
npm run package:check -- --reporter=default --reporter=json --outputFile.json="$results/packaging.json"

step "electronegativity on the built main, preload and renderer bundles (fails on HIGH or MEDIUM)"
npm run build
node scripts/electronegativity.mjs

step "Electron end-to-end (runs only where the Electron binary is installed)"
node test/e2e/run.mjs

step "summary"
node scripts/test-summary.mjs "$results"
