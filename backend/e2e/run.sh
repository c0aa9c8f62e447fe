#!/usr/bin/env bash
# Runs the client end-to-end tests (installs the pinned npm packages first when they are missing).
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/openai ] && [ -d node_modules/ollama ] || npm ci --no-audit --no-fund --loglevel=error
npm test
