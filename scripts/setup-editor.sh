#!/usr/bin/env bash
# Installs what the real-editor tests need, offline-safe (npm registry + Debian
# apt only): Debian chromium and build tools, and code-server 4.100.3 (the VS Code
# 1.100.3 workbench with a Node extension host) into a cache outside the repo,
# keyed by version. Follows ../shared/REAL-EDITOR.md: code-server's own
# postinstall refuses root and downloads ripgrep from GitHub, so we do its steps.
# Prints the code-server install directory on stdout.
set -euo pipefail
VERSION=4.100.3
CACHE="${RUST_READINESS_CACHE:-$HOME/.cache/rust-readiness}"
DEST="$CACHE/code-server-$VERSION"
here="$(cd "$(dirname "$0")" && pwd)"

"$here/ensure-apt.sh" build-essential python3 libkrb5-dev ripgrep chromium >&2

if [ -f "$DEST/.complete" ]; then echo "$DEST"; exit 0; fi
rm -rf "$DEST" && mkdir -p "$DEST"
export npm_config_nodedir=/usr npm_config_yes=true npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
(
  cd "$DEST"
  echo '{"name":"code-server-cache","private":true}' > package.json
  npm install --ignore-scripts --no-save "code-server@$VERSION" >&2
  npm rebuild argon2 >&2
  cd node_modules/code-server/lib/vscode
  npm install --omit=dev --ignore-scripts >&2
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
  npm rebuild >&2
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  (cd extensions && npm install --omit=dev >&2)
)
XDG_CONFIG_HOME="$(mktemp -d)" "$DEST/node_modules/.bin/code-server" --version >&2
touch "$DEST/.complete"
echo "$DEST"
