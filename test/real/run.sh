#!/usr/bin/env bash
# npm run test:real: builds (or reuses) the real local stack's tools, then runs test/real against
# them. Every server the tests start listens on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/real/build-tools.sh
exec npx mocha --config test/real/.mocharc.json "$@"
