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
    # Most calls are distinct, as in a real session (each is judged, not remembered): reading, searching,
    # testing, building; some repeat (git status, npm test); 2 in 25 are global installs.
    awk -v calls="$calls" -v cwd="$dir/home/project" 'BEGIN {
        n = split("cat src/module%d.py#git log -n %d --oneline#grep -rn TODO%d src | head -20#" \
            "sed -n %d,+20p src/app.py#python3 -m pytest tests/test_%d.py -q#ls -la build/%d#git status#" \
            "npm test -- --grep case%d#cd src && make target%d -j4#echo step %d >> /tmp/log.txt#" \
            "git diff HEAD~%d --stat#find . -name *%d*.py | xargs wc -l#python3 scripts/gen.py --seed %d#" \
            ".venv/bin/pip install pkg%d#cargo test case_%d#go test ./pkg%d/...#npm test#" \
            "git commit -m wip%d && git push#rm -rf build/%d && mkdir -p build/%d#pip install lib%d#" \
            "curl -s localhost:%d/health | head -5#npm install -g tool%d#cargo build --release -j%d#" \
            "docker compose logs api%d | tail -50", c, "#")
        for (i = 0; i < calls; i++) {
            command = c[i % n + 1]
            gsub(/%d/, i, command)
            printf "{\"type\":\"assistant\",\"cwd\":\"%s\",\"timestamp\":\"2026-12-01T10:00:00.000Z\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_%d\",\"name\":\"Bash\",\"input\":{\"command\":\"%s\",\"description\":\"run it\"}}]}}\n", cwd, i, command
            printf "{\"type\":\"user\",\"cwd\":\"%s\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_%d\",\"content\":\"ok\"}]}}\n", cwd, i
        }
    }' >"$dir/transcript.jsonl"
    local pin=""
    command -v taskset >/dev/null && pin="taskset -c 0"
    local start end cpu
    start=$(date +%s%N)
    /usr/bin/time -o "$dir/time.txt" -f "%U %S" $pin env -i HOME="$dir/home" PATH="$dir/sys/bin" \
        .build/release/toolguard audit --json "$dir/transcript.jsonl" >"$dir/out.json" 2>"$dir/err.txt" || true
    cpu=$(tail -1 "$dir/time.txt")
    end=$(date +%s%N)
    local ms=$(((end - start) / 1000000)) cpums
    cpums=$(awk -v t="$cpu" 'BEGIN { split(t, a, " "); printf "%d", (a[1] + a[2]) * 1000 }')
    echo "audit: $calls calls ($(du -h "$dir/transcript.jsonl" | cut -f1)) in $ms ms wall, $cpums ms CPU:" \
        "$((calls * 1000 / (ms > 0 ? ms : 1))) commands per second wall, $((calls * 1000 / (cpums > 0 ? cpums : 1))) per CPU second" \
        "  (budget: 50,000; under 2 s)"
    grep -v '^toolguard: skipped' "$dir/err.txt" || true
    grep -h '^toolguard: skipped' "$dir/err.txt" && echo "  (the generated transcript should have no malformed line)" || true
    echo "  findings: $(grep -c '"rule"' "$dir/out.json")"
    rm -rf "$dir"
}
bench_audit
