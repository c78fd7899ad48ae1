#!/usr/bin/env bash
# npm run test:real: builds (or reuses) the real local stack's tools, then runs test/real inside a
# network namespace of its own, so that every server the tests start (etcd, kube-apiservers,
# istiod, a chart mirror) and every address they add (Pod addresses a webhook is served on) stays in
# it. Needs root (as CI and this project's machines run). Arguments go to mocha.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/real/build-tools.sh
netns="isthmus-real-$$"
ip netns add "$netns"
cleanup() {
  ip netns pids "$netns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  ip netns del "$netns" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 143' TERM INT
ip -n "$netns" link set lo up
if [ "$#" -eq 0 ]; then set -- "test/real/**/*.test.ts"; fi
ISTHMUS_REAL_NETNS="$netns" ip netns exec "$netns" npx mocha --config test/real/.mocharc.json "$@"
