#!/usr/bin/env bash
# Benchmarks toolguard as SPEC §10 budgets it: builds the release binary as a fully static executable
# (the Swift runtime and libc linked in: no dynamic relocation at start-up), then measures hook wall time
# against /bin/true, 1 MB commands, and batch throughput.
# Usage: scripts/bench.sh [RUNS]   (default 300 hook runs per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release -Xswiftc -static-executable --product toolguard 2>&1 | grep -v "dlopen\|LibPrespecialized" | tail -1
swift build -c release --static-swift-stdlib --package-path Benchmarks --product toolguard-bench 2>&1 | tail -1
Benchmarks/.build/release/toolguard-bench "$PWD/.build/release/toolguard" "${1:-300}"

# --- audit (SPEC §12): one process reads and judges a 100,000-call Claude Code transcript (budget: at least
# 50,000 commands a second, so under 2 s), taskset to one core when it is there.
bench_audit() {
    local dir calls=100000
    dir=$(mktemp -d)
    mkdir -p "$dir/home/project/.git" "$dir/home/project/.venv/bin" "$dir/sys/bin"
    echo 'home = /usr/bin' >"$dir/home/project/.venv/pyvenv.cfg"
    for p in pip pip3 python3 npm cargo gem go; do printf '#!/bin/sh\n' >"$dir/sys/bin/$p"; chmod +x "$dir/sys/bin/$p"; done
    printf '#!/bin/sh\n' >"$dir/home/project/.venv/bin/pip"; chmod +x "$dir/home/project/.venv/bin/pip"
    awk -v calls="$calls" -v cwd="$dir/home/project" 'BEGIN {
        n = split("pip install requests|ls -la|git status|npm test|npm install -g typescript|cargo build|" \
            "go test ./...|python3 -m pytest -q|.venv/bin/pip install -r requirements.txt|cd src && make -j4|" \
            "grep -rn TODO Sources \\| head -20|cat README.md|git commit -m \\\"pip install x\\\"|" \
            "find . -name \\\"*.py\\\" \\| xargs wc -l|cargo install ripgrep|rm -rf build && mkdir build|" \
            "echo done > /tmp/out.txt|git diff --stat|gem install rails|go install golang.org/x/tools/gopls@latest", c, "|")
        for (i = 0; i < calls; i++) {
            printf "{\"type\":\"assistant\",\"cwd\":\"%s\",\"timestamp\":\"2026-12-01T10:00:00.000Z\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_%d\",\"name\":\"Bash\",\"input\":{\"command\":\"%s\",\"description\":\"run it\"}}]}}\n", cwd, i, c[i % n + 1]
            printf "{\"type\":\"user\",\"cwd\":\"%s\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_%d\",\"content\":\"ok\"}]}}\n", cwd, i
        }
    }' >"$dir/transcript.jsonl"
    local pin=""
    command -v taskset >/dev/null && pin="taskset -c 0"
    local start end
    start=$(date +%s%N)
    env -i HOME="$dir/home" PATH="$dir/sys/bin" $pin .build/release/toolguard audit --json "$dir/transcript.jsonl" >"$dir/out.json" || true
    end=$(date +%s%N)
    local ms=$(((end - start) / 1000000))
    echo "audit: $calls calls ($(du -h "$dir/transcript.jsonl" | cut -f1)) in $ms ms, $((calls * 1000 / (ms > 0 ? ms : 1))) commands per second   (budget: 50,000; under 2 s)"
    echo "  findings: $(grep -c '"rule"' "$dir/out.json")"
    rm -rf "$dir"
}
bench_audit
