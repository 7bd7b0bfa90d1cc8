#!/bin/sh
# The hook inside the real Claude Code CLI: no model, no network.
#
#   scripts/claude-cli-e2e.sh [PATH/TO/claude]
#
# Without an argument it uses $CLAUDE_BIN, else the CLI bundled in a claude-agent-sdk wheel found in
# $CLAUDE_WHEEL or /tmp/wheels (`pip download claude-agent-sdk --no-deps -d /tmp/wheels`): the wheel holds
# it at claude_agent_sdk/_bundled/claude. With neither it says so and exits 0 (CI without the wheel stays
# green; `swift test` never depends on this script).
#
# It builds toolguard, makes a scratch HOME, copies the binary to ~/.local/bin and runs `toolguard install`
# there (as a user would), adds a second PreToolUse hook that only records the JSON the CLI sends, and starts
# scripts/fake_messages_api.py on 127.0.0.1: a fake Messages API that answers a prompt `RUN: <command>` with a
# streamed `tool_use` of Bash for <command>, then (after the tool_result) a final text, and records the
# tool_result it receives. `claude -p` is pointed at it with ANTHROPIC_BASE_URL and a dummy key, inside
# `unshare -rn` (a network namespace with only loopback) when that is available. Then it checks, from the
# tool_results the fake server received:
#   1. `pip install requests` (a `pip` first on PATH that leaves a marker if it ever runs) is denied by
#      toolguard's hook with rule python.bare-pip, and the marker does not exist;
#   2. `echo …` runs and its output comes back;
#   3. `.venv/bin/pip install --no-index requests` in a real venv is let through (pip itself answers);
#   4. without --dangerously-skip-permissions, the same `pip install requests` is still denied by the hook.
# Exit 0 when all hold, 1 otherwise. As root, --dangerously-skip-permissions needs IS_SANDBOX=1 (set here).
set -eu

repo="$(cd "$(dirname "$0")/.." && pwd)"

# ───────────── the CLI ─────────────
if [ "${TOOLGUARD_E2E_INNER:-}" = "" ]; then
    claude="${1:-${CLAUDE_BIN:-}}"
    if [ -n "$claude" ] && [ ! -x "$claude" ]; then
        echo "claude-cli-e2e: $claude is not an executable file" >&2
        exit 1
    fi
    scratch="$(mktemp -d "${TMPDIR:-/tmp}/toolguard-claude-e2e.XXXXXX")"
    if [ -z "$claude" ]; then
        wheel=""
        for candidate in ${CLAUDE_WHEEL:-} /tmp/wheels/claude_agent_sdk-*manylinux*x86_64*.whl; do
            [ -f "$candidate" ] && { wheel="$candidate"; break; }
        done
        if [ -n "$wheel" ] && command -v unzip >/dev/null 2>&1; then
            unzip -q -o "$wheel" 'claude_agent_sdk/_bundled/claude' -d "$scratch/wheel"
            claude="$scratch/wheel/claude_agent_sdk/_bundled/claude"
            chmod +x "$claude"
        fi
    fi
    if [ -z "$claude" ] || [ ! -x "$claude" ]; then
        echo "claude-cli-e2e: SKIPPED: no Claude Code CLI binary (pass its path, set CLAUDE_BIN, or put a"
        echo "claude-agent-sdk manylinux wheel in /tmp/wheels: pip download claude-agent-sdk --no-deps -d /tmp/wheels)"
        rm -rf "$scratch"
        exit 0
    fi
    claude="$(cd "$(dirname "$claude")" && pwd)/$(basename "$claude")"
    echo "claude-cli-e2e: CLI $claude ($("$claude" --version 2>/dev/null || echo 'version unknown'))"

    echo "claude-cli-e2e: building toolguard…"
    (cd "$repo" && swift build --product toolguard >"$scratch/build.log" 2>&1) || {
        cat "$scratch/build.log"; exit 1; }
    built="$(cd "$repo" && swift build --show-bin-path)/toolguard"

    # A scratch HOME with toolguard installed the way a user installs it.
    home="$scratch/home"
    mkdir -p "$home/.local/bin" "$scratch/project/.git" "$scratch/sysbin"
    cp "$built" "$home/.local/bin/toolguard"
    env -i PATH=/usr/bin:/bin HOME="$home" "$home/.local/bin/toolguard" install >"$scratch/install.log"
    # A second hook that only records what the CLI sends (no output, exit 0: no decision).
    python3 - "$home/.claude/settings.json" "$scratch/hook-input.jsonl" <<'EOF'
import json, shlex, sys
path, log = sys.argv[1], sys.argv[2]
settings = json.load(open(path))
command = "cat >> %s; echo >> %s" % (shlex.quote(log), shlex.quote(log))
settings["hooks"]["PreToolUse"].append({"matcher": "Bash", "hooks": [{"type": "command", "command": command}]})
json.dump(settings, open(path, "w"), indent=2)
EOF
    # A `pip` first on PATH that is no venv's: if it ever runs, it leaves a marker.
    printf '#!/bin/sh\ntouch %s\necho "the global pip ran"\n' "$scratch/global-pip-ran" >"$scratch/sysbin/pip"
    chmod +x "$scratch/sysbin/pip"
    # A real venv, for the command toolguard must let through (skipped when python3 cannot make one).
    if python3 -m venv "$scratch/project/.venv" >/dev/null 2>&1; then :; else rm -rf "$scratch/project/.venv"; fi

    export TOOLGUARD_E2E_INNER=1 TOOLGUARD_E2E_SCRATCH="$scratch" TOOLGUARD_E2E_CLAUDE="$claude"
    if command -v unshare >/dev/null 2>&1 && unshare -rn true 2>/dev/null; then
        echo "claude-cli-e2e: running in a network namespace with only loopback (unshare -rn)"
        status=0; unshare -rn sh "$repo/scripts/claude-cli-e2e.sh" || status=$?
    else
        echo "claude-cli-e2e: note: unshare -rn is not available here; running with the host's network"
        status=0; sh "$repo/scripts/claude-cli-e2e.sh" || status=$?
    fi
    if [ "$status" -eq 0 ] && [ -z "${KEEP:-}" ]; then rm -rf "$scratch"; else echo "claude-cli-e2e: files kept in $scratch"; fi
    exit "$status"
fi

# ───────────── inside the namespace ─────────────
scratch="$TOOLGUARD_E2E_SCRATCH"
claude="$TOOLGUARD_E2E_CLAUDE"
home="$scratch/home"
ip link set lo up 2>/dev/null || true

python3 "$repo/scripts/fake_messages_api.py" "$scratch/port" "$scratch/results.jsonl" "$scratch/requests.jsonl" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
i=0
while [ ! -s "$scratch/port" ]; do
    i=$((i + 1)); [ "$i" -gt 100 ] && { echo "claude-cli-e2e: the fake API did not start"; exit 1; }
    sleep 0.1
done
port="$(cat "$scratch/port")"

# run LABEL COMMAND [CLAUDE OPTIONS…]: one `claude -p` session whose model asks for Bash(COMMAND).
run() {
    label="$1"; command="$2"; shift 2
    (cd "$scratch/project" && env -i \
        HOME="$home" PATH="$scratch/sysbin:/usr/local/bin:/usr/bin:/bin" SHELL=/bin/bash TERM=dumb \
        ANTHROPIC_BASE_URL="http://127.0.0.1:$port" ANTHROPIC_API_KEY=sk-ant-toolguard-e2e-dummy \
        IS_SANDBOX=1 DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 \
        timeout 180 "$claude" -p "RUN: $command" --output-format json "$@" \
        >"$scratch/$label.out.json" 2>"$scratch/$label.err") || {
        echo "claude-cli-e2e: $label: claude exited $? (stderr below)"; cat "$scratch/$label.err"; }
}

# result COMMAND NTH: the NTH tool_result (1 = first) the fake server received for COMMAND, as
# "is_error<TAB>content" on one line.
result() {
    python3 - "$scratch/results.jsonl" "$1" "$2" <<'EOF'
import json, sys
path, command, nth = sys.argv[1], sys.argv[2], int(sys.argv[3])
seen = [json.loads(l) for l in open(path) if l.strip()]
matches = [r for r in seen if r["command"] == command]
if len(matches) < nth:
    print("missing\t(no tool_result received)")
    sys.exit(0)
block = matches[nth - 1]["results"][0]
content = block.get("content")
if isinstance(content, list):
    content = "\n".join(b.get("text", "") for b in content if isinstance(b, dict))
print("%s\t%s" % (str(block.get("is_error", False)).lower(), " ".join(str(content).split())))
EOF
}

failures=0
check() {  # check DESCRIPTION CONDITION-EXIT-STATUS
    if [ "$2" -eq 0 ]; then echo "  ok   $1"; else echo "  FAIL $1"; failures=$((failures + 1)); fi
}
contains() { case "$1" in *"$2"*) return 0 ;; *) return 1 ;; esac; }

blocked="pip install requests"
allowed="echo toolguard-e2e-allowed"
venv=".venv/bin/pip install --no-index requests"

echo "claude-cli-e2e: 1. $blocked (--dangerously-skip-permissions)"
run blocked "$blocked" --dangerously-skip-permissions
r="$(result "$blocked" 1)"
echo "  the model saw: $r"
check "the tool_result is an error" "$(contains "$r" "true	" && echo 0 || echo 1)"
check "it carries toolguard's reason and rule python.bare-pip" "$(contains "$r" "python.bare-pip" && echo 0 || echo 1)"
check "the global pip never ran" "$([ ! -e "$scratch/global-pip-ran" ] && echo 0 || echo 1)"

echo "claude-cli-e2e: 2. $allowed"
run allowed "$allowed" --dangerously-skip-permissions
r="$(result "$allowed" 1)"
echo "  the model saw: $r"
check "the command ran and its output came back" "$(contains "$r" "false	toolguard-e2e-allowed" && echo 0 || echo 1)"

if [ -x "$scratch/project/.venv/bin/pip" ]; then
    echo "claude-cli-e2e: 3. $venv (a real venv)"
    run venv "$venv" --dangerously-skip-permissions
    r="$(result "$venv" 1)"
    echo "  the model saw: $r"
    check "toolguard let the venv's pip run (pip itself answered)" \
        "$( (contains "$r" "requests" && ! contains "$r" "toolguard") && echo 0 || echo 1)"
else
    echo "claude-cli-e2e: 3. skipped: python3 could not make a venv here"
fi

echo "claude-cli-e2e: 4. $blocked (no --dangerously-skip-permissions)"
run noskip "$blocked"
r="$(result "$blocked" 2)"
echo "  the model saw: $r"
check "the hook denied it without skip-permissions too" "$(contains "$r" "python.bare-pip" && echo 0 || echo 1)"
check "the global pip never ran" "$([ ! -e "$scratch/global-pip-ran" ] && echo 0 || echo 1)"

echo "claude-cli-e2e: the hook input the CLI sent for the first command:"
python3 - "$scratch/hook-input.jsonl" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    if line.strip():
        print("  " + json.dumps(json.loads(line)))
        break
EOF
echo "claude-cli-e2e: toolguard's decision log:"
env -i HOME="$home" PATH=/usr/bin:/bin "$home/.local/bin/toolguard" log | sed 's/^/  /'

if [ "$failures" -eq 0 ]; then echo "claude-cli-e2e: PASS"; else echo "claude-cli-e2e: $failures check(s) FAILED"; exit 1; fi
