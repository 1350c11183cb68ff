#!/usr/bin/env bash
# The one command that runs every test layer (README: `npm test`). Stops at the first red layer.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "typecheck"
npx tsc --noEmit -p tsconfig.json

step "lint"
npx biome check --error-on-warnings .

step "unit + integration (vitest)"
# The keychain tests need a real Secret Service: run vitest inside a private D-Bus session with
# gnome-keyring unlocked by a non-empty password, and HOME in a temp folder so nothing touches the user's keyring.
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  keyring_home=$(mktemp -d)
  HOME="$keyring_home" XDG_DATA_HOME="$keyring_home/.local/share" SEAT_TRAY_KEYRING_TESTS=1 \
    dbus-run-session -- sh -c 'printf "ci-keyring-pw" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec npx vitest run'
  rm -rf "$keyring_home"
else
  echo "no dbus-run-session/gnome-keyring: the keychain tests run against the fallback vault only"
  npx vitest run
fi

step "the window in Debian's Chromium (Playwright: every state, flows, axe, screenshots)"
npx playwright test

step "packaging: electron-builder --dir with a stand-in Electron; asar contents, unpacked keytar, fuses"
npm run package:check
