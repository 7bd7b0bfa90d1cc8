#!/bin/sh
# One command from a clone: build the static release binary, put it on PATH, register the hook, check it.
#
#   scripts/install.sh                 # ~/.local/bin/toolguard, hook in every agent found under HOME
#   PREFIX=/usr/local scripts/install.sh
#   scripts/install.sh --agent codex   # any arguments go to `toolguard install` (default: --agent all)
#
# It stops at the first failure (set -e); nothing is registered unless the binary built and copied.
set -eu

cd "$(dirname "$0")/.."
prefix="${PREFIX:-$HOME/.local}"
bin="$prefix/bin"

echo "building the static release binary…"
if ! swift build -c release -Xswiftc -static-executable >/dev/null 2>&1; then
    # Toolchains without the static Linux SDK: fall back to a statically linked Swift runtime.
    swift build -c release --static-swift-stdlib
fi
built="$(swift build -c release --show-bin-path)/toolguard"

mkdir -p "$bin"
# Copy to a temporary name and rename, so a running hook never sees a half-written binary.
install -m 755 "$built" "$bin/.toolguard.new"
mv -f "$bin/.toolguard.new" "$bin/toolguard"
echo "installed $bin/toolguard ($("$bin/toolguard" --version))"

if [ "$#" -eq 0 ]; then set -- --agent all; fi
"$bin/toolguard" install "$@"
case " $* " in
*" --agent all "* | *" --agent=all "*) "$bin/toolguard" doctor --agent all ;;
*) "$bin/toolguard" doctor ;;
esac

case ":$PATH:" in
*":$bin:"*) ;;
*) echo "note: $bin is not on your PATH; add it to run toolguard explain by name" ;;
esac
