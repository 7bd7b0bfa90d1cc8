#!/usr/bin/env bash
# Benchmarks toolguard as SPEC §10 budgets it: builds the release binary as a fully static executable
# (the Swift runtime and libc linked in: no dynamic relocation at start-up), then measures hook wall time
# against /bin/true, 1 MB commands of every shape (whole hook process), and batch throughput.
# Usage: scripts/bench.sh [RUNS] [scaling]
#   RUNS     hook runs per start-up measurement (default 300)
#   scaling  also time every shape at 10 KB, 100 KB, 1 MB and 4 MB (linear: ×4 from 1 MB to 4 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release -Xswiftc -static-executable --product toolguard 2>&1 | grep -v "dlopen\|LibPrespecialized" | tail -1
swift build -c release --static-swift-stdlib --package-path Benchmarks --product toolguard-bench 2>&1 | tail -1
Benchmarks/.build/release/toolguard-bench "$PWD/.build/release/toolguard" "${1:-300}" ${2:+"$2"}
