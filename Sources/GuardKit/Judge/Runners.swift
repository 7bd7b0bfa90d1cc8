/// Programs that run a command, as one table of data read by one generic reader.
///
/// Each row says how the program's own options are parsed (GNU getopt permuting, stopping at the first
/// operand, or the "leading dash words" region), which options take a value (and whether only attached),
/// and where its command starts: the rest of argv after some operands of its own, a shell string given
/// by an option, the first operand as a shell string, the words joined into one shell string, or standard
/// input. Sources: shared/reference/command-runners.md (util-linux, shadow, systemd, coreutils, …).
/// Adding a runner is adding a row; only runners with a language of their own (tmux, git, awk …) have code.
/// Option lists are arrays, not sets: the hook builds this table in every process, the lists are a few words
/// long, and an array literal costs one allocation where a set hashes every word.
struct Runner: Sendable {
    /// How the runner reads its options.
    enum Style: Sendable {
        /// getopt with a leading `+`: options end at the first operand, which starts the command.
        case stopsAtFirstOperand
        /// GNU getopt without `+`: option-looking words anywhere are the runner's own until `--`.
        case permutes
        /// Every leading word that starts with `-` is an option (values only attached with `=`).
        case leadingDashes
    }

    /// Where the command starts once options are read.
    enum Start: Sendable {
        /// The operands are argv.
        case argv
        /// The first operand is a shell string (`sg GROUP CMD`); later words are the shell's `$0`, `$1` ….
        case firstOperandShell
        /// The operands are joined with spaces and run by a shell (`watchexec`, `watch`).
        case joinedShell
        /// One operand runs as a shell string, several as argv (tmux's new-session, new-window …).
        case shellIfOneWord
        /// Commands are read from standard input (`at`, `batch`).
        case standardInput
        /// The operands are argv; with none, a shell starts and reads its commands from standard input
        /// (`pkexec` with no command: `pkexec <<< 'pip install x'`).
        case argvElseStandardInput
    }

    /// The program names of this row.
    var names: [String]
    var style: Style = .stopsAtFirstOperand
    /// Short options that take a value (attached or the next word).
    var valueShort: [Character] = []
    /// Long options that take a value (`--opt=V` or `--opt V`).
    var valueLong: [String] = []
    /// Long options that take more than one following word (bwrap's `--bind SRC DEST`).
    var multiValueLong: [String: Int] = [:]
    /// Options whose value is a shell string that runs (`-c`, `--command`).
    var scriptOptions: [String] = []
    /// Options that make it run nothing (`--help`, `-l` list modes).
    var runsNothingWith: [String] = []
    /// Options after which the first operand is a shell string (entr `-s`).
    var shellWith: [String] = []
    /// Options after which the operands are argv even for a joined-shell runner (`watchexec -n`).
    var argvWith: [String] = []
    /// A word that must come first (`pyenv exec`), else nothing runs.
    var subcommands: [String] = []
    /// Operands of the runner's own before the command (timeout's DURATION, taskset's MASK, chroot's DIR).
    var ownOperands = 0
    /// An all-digit first operand is the runner's own (chrt's PRIORITY, optional since util-linux 2.42).
    var numericOwnOperand = false
    /// `-10` alone is a flag (nice).
    var numericFlags = false
    var start: Start = .argv
    /// The command runs as root.
    var elevates = false
    /// It runs in the shell itself (`exec`, `builtin`).
    var inCurrentShell = false
}

extension Runner {
    /// The table. Long options not listed take no value unless written `--opt=V`; short options not
    /// listed are flags.
    static let table: [Runner] = [
        Runner(
            names: ["nohup", "eatmydata", "unbuffer", "caffeinate", "dbus-run-session", "dbus-launch"],
            style: .stopsAtFirstOperand, valueLong: ["--config-file", "--dbus-daemon", "--autolaunch"]),
        Runner(names: ["builtin", "noglob"], inCurrentShell: true),
        Runner(names: ["exec"], valueShort: ["a"], inCurrentShell: true),
        Runner(names: ["time"], valueShort: ["f", "o"], valueLong: ["--format", "--output"], inCurrentShell: true),
        Runner(names: ["timeout"], valueShort: ["s", "k"], valueLong: ["--signal", "--kill-after"], ownOperands: 1),
        Runner(names: ["nice"], valueShort: ["n"], valueLong: ["--adjustment"], numericFlags: true),
        Runner(
            names: ["ionice"], valueShort: ["c", "n", "p", "P", "u"],
            valueLong: ["--class", "--classdata", "--pid", "--pgid", "--uid"]),
        Runner(names: ["taskset"], valueShort: ["p"], ownOperands: 1),
        Runner(names: ["stdbuf"], valueShort: ["i", "o", "e"], valueLong: ["--input", "--output", "--error"]),
        Runner(names: ["setsid"]),
        Runner(names: ["systemd-inhibit"], valueLong: ["--what", "--who", "--why", "--mode"]),
        Runner(names: ["gosu", "su-exec"], ownOperands: 1),
        Runner(
            names: ["chpst"],
            valueShort: ["u", "U", "b", "e", "/", "n", "l", "L", "m", "d", "o", "p", "f", "c", "r", "t"]),
        Runner(names: ["proxychains", "proxychains4"], valueShort: ["f"]),
        Runner(names: ["chroot"], valueLong: ["--userspec", "--groups"], ownOperands: 1, elevates: true),
        // polkit's pkexec runs a command as root, like sudo; with no command, a root shell.
        Runner(names: ["pkexec"], valueLong: ["--user"], start: .argvElseStandardInput, elevates: true),
        Runner(names: ["asdf", "pyenv", "rbenv", "nodenv", "goenv", "jenv", "plenv"], subcommands: ["exec"]),
        Runner(names: ["direnv"], subcommands: ["exec"], ownOperands: 1),
        Runner(
            names: ["strace"], valueShort: ["a", "b", "e", "E", "I", "o", "O", "p", "P", "s", "S", "u", "U", "X"],
            valueLong: [
                "--output", "--expr", "--attach", "--string-limit", "--user", "--env", "--trace-path", "--argv0",
                "--trace", "--inject",
            ]),
        Runner(names: ["ltrace"], valueShort: ["a", "A", "D", "e", "F", "l", "n", "o", "p", "s", "u", "x", "X", "w"]),
        // util-linux runuser: permuting getopt; `-u USER CMD…` execs, `USER -c STR` runs a shell.
        Runner(
            names: ["runuser"], style: .permutes, valueShort: ["c", "g", "G", "s", "u", "w"],
            valueLong: [
                "--command", "--session-command", "--group", "--supp-group", "--shell", "--user",
                "--whitelist-environment",
            ],
            scriptOptions: ["c", "--command", "--session-command"]),
        Runner(
            names: ["setpriv"],
            valueLong: [
                "--ruid", "--euid", "--reuid", "--rgid", "--egid", "--regid", "--groups", "--inh-caps",
                "--ambient-caps", "--bounding-set", "--securebits", "--pdeathsig", "--ptracer",
                "--selinux-label", "--apparmor-profile", "--landlock-access", "--landlock-rule", "--seccomp-filter",
            ]),
        // shadow sg: `sg [-] GROUP [-c] COMMAND`, one word run by /bin/sh -c.
        Runner(
            names: ["sg"], style: .permutes, valueShort: ["c"], scriptOptions: ["c"], ownOperands: 1,
            start: .firstOperandShell),
        Runner(
            names: ["systemd-run", "run0"], valueShort: ["u", "p", "E", "H", "M", "C", "D"],
            valueLong: [
                "--unit", "--property", "--setenv", "--host", "--machine", "--uid", "--gid", "--nice",
                "--working-directory", "--description", "--slice", "--service-type", "--job-mode",
                "--expand-environment", "--background", "--json", "--on-active", "--on-boot", "--on-startup",
                "--on-unit-active", "--on-unit-inactive", "--on-calendar", "--timer-property",
                "--path-property", "--socket-property", "--chdir", "--capsule",
            ]),
        Runner(names: ["firejail"], style: .leadingDashes),
        Runner(
            names: ["bwrap"],
            valueLong: [
                "--args", "--argv0", "--userns", "--userns2", "--pidns", "--uid", "--gid", "--hostname",
                "--chdir", "--unsetenv", "--lock-file", "--sync-fd", "--perms", "--size", "--remount-ro",
                "--overlay-src", "--tmp-overlay", "--ro-overlay", "--proc", "--dev", "--tmpfs", "--mqueue",
                "--dir", "--seccomp", "--add-seccomp-fd", "--exec-label", "--file-label", "--block-fd",
                "--userns-block-fd", "--info-fd", "--json-status-fd", "--cap-add", "--cap-drop",
            ],
            multiValueLong: [
                "--setenv": 2, "--bind": 2, "--bind-try": 2, "--ro-bind": 2, "--ro-bind-try": 2,
                "--dev-bind": 2, "--dev-bind-try": 2, "--file": 2, "--bind-data": 2,
                "--ro-bind-data": 2, "--symlink": 2, "--chmod": 2, "--overlay": 3,
            ]),
        Runner(
            names: ["unshare"], valueShort: ["R", "w", "S", "G", "l"],
            valueLong: [
                "--root", "--wd", "--setuid", "--setgid", "--load-interp", "--map-user", "--map-users",
                "--map-group", "--map-groups", "--owner", "--propagation", "--setgroups", "--monotonic",
                "--boottime", "--whitelist-env",
            ]),
        Runner(
            names: ["nsenter"], valueShort: ["t", "N", "S", "G"],
            valueLong: ["--target", "--net-socket", "--setuid", "--setgid"]),
        Runner(
            names: ["chrt"], valueShort: ["T", "P", "D", "U", "X"],
            valueLong: ["--sched-runtime", "--sched-period", "--sched-deadline"],
            numericOwnOperand: true),
        Runner(
            names: ["numactl"], valueShort: ["i", "w", "p", "P", "c", "N", "C", "m", "S", "f", "o", "L", "M", "I"],
            valueLong: [
                "--interleave", "--weighted-interleave", "--preferred", "--preferred-many", "--physcpubind",
                "--cpunodebind", "--membind",
            ]),
        // Every limit's value is optional, so only attached (`--nofile=512`).
        Runner(names: ["prlimit"], valueShort: ["p", "o"], valueLong: ["--pid", "--output"]),
        Runner(names: ["cgexec"], valueShort: ["g"]),
        Runner(names: ["flatpak-spawn"], style: .leadingDashes),
        Runner(
            names: ["xvfb-run"], valueShort: ["e", "f", "n", "p", "s", "w"],
            valueLong: ["--error-file", "--auth-file", "--server-num", "--xauth-protocol", "--server-args", "--wait"]),
        Runner(names: ["valgrind"], style: .leadingDashes),
        Runner(
            names: ["fish"], valueShort: ["c", "C", "d", "o", "p"],
            valueLong: ["--command", "--init-command", "--debug", "--debug-output", "--profile"],
            scriptOptions: ["c", "--command", "C", "--init-command"], start: .firstOperandShell),
        Runner(
            names: ["watchexec"], style: .permutes, valueShort: ["w", "W", "F", "e", "f", "j", "i", "s", "d", "E"],
            valueLong: [
                "--watch", "--watch-non-recursive", "--watch-file", "--exts", "--filter", "--filter-file",
                "--ignore", "--ignore-file", "--signal", "--stop-signal", "--stop-timeout", "--debounce",
                "--delay-run", "--poll", "--shell", "--env", "--workdir", "--project-origin", "--on-busy-update",
                "--emit-events-to", "--color", "--log-file", "--socket", "--wrap-process", "--timeout",
                "--filter-prog", "--fs-events", "--completions", "--manual",
            ],
            argvWith: ["n", "--shell=none"], start: .joinedShell),
        Runner(names: ["entr"], style: .leadingDashes, shellWith: ["s"]),
        Runner(
            names: ["at", "batch"], valueShort: ["q", "f", "u", "t"], runsNothingWith: ["l", "r", "d", "c", "V"],
            start: .standardInput),
    ]

    /// Row by program name.
    static let byName: [String: Runner] = {
        var rows: [String: Runner] = [:]
        for row in table { for name in row.names { rows[name] = row } }
        return rows
    }()

    /// Runners with a command language of their own, read by code in `Runners`.
    static let specialNames: Set<String> = [
        "tmux", "screen", "git", "awk", "gawk", "mawk", "nawk", "sed", "gsed", "vim", "nvim", "vi", "ex", "view",
        "gvim", "expect", "fd", "fdfind", "gdb", "nodemon", "trap", "coproc", "command",
    ]

    /// Every name the table and the special readers know.
    static let names: Set<String> = Set(byName.keys).union(specialNames)

    /// What the runner's options were.
    struct Parsed {
        var options: [(name: String, value: Argument?)] = []
        var operands: [Argument] = []

        func has(_ name: String) -> Bool { options.contains { $0.name == name } }
        func value(_ name: String) -> Argument? { options.last { $0.name == name }?.value }
    }

    /// Reads the runner's options in its style.
    func parse(_ arguments: [Argument]) -> Parsed {
        var result = Parsed()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let text = argument.text
            if text == "--" {
                result.operands.append(contentsOf: arguments[(index + 1)...])
                return result
            }
            let isOption = text.hasPrefix("-") && text.count > 1 && !argument.isDynamic
            if !isOption {
                if style == .permutes {
                    result.operands.append(argument)
                    index += 1
                    continue
                }
                result.operands.append(contentsOf: arguments[index...])
                return result
            }
            if style == .leadingDashes {
                if let equals = text.firstIndex(of: "=") {
                    result.options.append((String(text[..<equals]), Self.attached(argument, after: equals)))
                } else {
                    result.options.append((text, nil))
                    if text.count == 2 {
                        result.options.append((String(text.dropFirst()), nil))
                    } else if !text.hasPrefix("--") {
                        for letter in text.dropFirst() { result.options.append((String(letter), nil)) }
                    }
                }
                index += 1
                continue
            }
            if text.hasPrefix("--") {
                if let equals = text.firstIndex(of: "=") {
                    let name = String(text[..<equals])
                    result.options.append((name, Self.attached(argument, after: equals)))
                    result.options.append((text, nil))
                } else if let count = multiValueLong[text] {
                    result.options.append((text, index + 1 < arguments.count ? arguments[index + 1] : nil))
                    index += count
                } else if valueLong.contains(text) || scriptOptions.contains(text) {
                    result.options.append((text, index + 1 < arguments.count ? arguments[index + 1] : nil))
                    index += 1
                } else {
                    result.options.append((text, nil))
                }
                index += 1
                continue
            }
            if numericFlags, text.dropFirst().allSatisfy(\.isNumber) {
                result.options.append((text, nil))
                index += 1
                continue
            }
            var letters = Substring(text.dropFirst())
            while let letter = letters.first {
                letters = letters.dropFirst()
                let name = String(letter)
                if valueShort.contains(letter) || scriptOptions.contains(name) {
                    if !letters.isEmpty {
                        result.options.append(
                            (name, Argument(String(letters), isDynamic: argument.isDynamic, span: argument.span)))
                    } else if index + 1 < arguments.count {
                        result.options.append((name, arguments[index + 1]))
                        index += 1
                    } else {
                        result.options.append((name, nil))
                    }
                    break
                }
                result.options.append((name, nil))
            }
            index += 1
        }
        return result
    }

    static func attached(_ argument: Argument, after equals: String.Index) -> Argument {
        Argument(
            String(argument.text[argument.text.index(after: equals)...]), isDynamic: argument.isDynamic,
            span: argument.span)
    }

    /// What this runner runs, given its arguments (after the program name).
    func unwrap(_ arguments: [Argument]) -> Wrappers.Outcome {
        var arguments = arguments
        if !subcommands.isEmpty {
            guard let first = arguments.first, subcommands.contains(first.text) else { return .nothing }
            arguments.removeFirst()
        }
        let parsed = parse(arguments)
        var change = Wrappers.Change(elevated: elevates)
        change.spawnsProcess = !inCurrentShell
        if parsed.options.contains(where: { runsNothingWith.contains($0.name) }) { return .nothing }
        for option in scriptOptions {
            if let script = parsed.value(option) { return .script(script, change) }
        }
        var operands = parsed.operands
        if ownOperands > 0 { operands = Array(operands.dropFirst(ownOperands)) }
        if numericOwnOperand, let first = operands.first, !first.text.isEmpty, first.text.allSatisfy(\.isNumber) {
            operands.removeFirst()
            // `chrt PRIO -- CMD`: a `--` after the operand is accepted by util-linux 2.40+.
            if operands.first?.text == "--" { operands.removeFirst() }
        }
        if parsed.options.contains(where: { shellWith.contains($0.name) }) {
            guard let first = operands.first else { return .nothing }
            return .script(first, change)
        }
        switch start {
        case .standardInput:
            return .standardInputScript(change)
        case .argvElseStandardInput:
            return operands.isEmpty ? .standardInputScript(change) : .command(operands, change)
        case .argv:
            return operands.isEmpty ? .nothing : .command(operands, change)
        case .firstOperandShell:
            guard let first = operands.first else { return .nothing }
            return .script(first, change)
        case .shellIfOneWord:
            guard let first = operands.first else { return .nothing }
            return operands.count == 1 ? .script(first, change) : .command(operands, change)
        case .joinedShell:
            if parsed.options.contains(where: { argvWith.contains($0.name) }) {
                return operands.isEmpty ? .nothing : .command(operands, change)
            }
            guard let joined = Runners.joined(operands) else { return .nothing }
            return .script(joined, change)
        }
    }
}

/// The readers for runners with a command language of their own.
enum Runners {
    /// Unwraps a runner from the table or a special reader; `nil` when `name` is not one.
    static func unwrap(_ name: String, _ rest: [Argument]) -> Wrappers.Outcome? {
        if let row = Runner.byName[name] { return row.unwrap(rest) }
        let outcome = special(name, rest)
        // A program with a language of its own that runs nothing here (`git status`, `sed -i …`) is judged
        // as itself: modules and self-protection still see it.
        if case .nothing? = outcome, !["command", "trap", "coproc"].contains(name) { return nil }
        return outcome
    }

    static func special(_ name: String, _ rest: [Argument]) -> Wrappers.Outcome? {
        switch name {
        case "tmux": return tmux(rest)
        case "screen": return screen(rest)
        case "git": return git(rest)
        case "awk", "gawk", "mawk", "nawk": return awk(rest)
        case "sed", "gsed": return sed(rest)
        case "vim", "nvim", "vi", "ex", "view", "gvim": return vim(rest)
        case "expect": return expect(rest)
        case "fd", "fdfind": return fd(rest)
        case "gdb": return gdb(rest)
        case "nodemon": return nodemon(rest)
        case "trap": return trap(rest)
        case "coproc":
            // `coproc CMD…` (a simple command: no name) runs CMD asynchronously.
            return rest.isEmpty ? .nothing : .command(rest, Wrappers.Change())
        case "command": return command(rest)
        default: return nil
        }
    }

    /// Words joined with spaces into one shell string (`watch`, `watchexec`, `screen -X stuff`).
    static func joined(_ operands: [Argument]) -> Argument? {
        guard let first = operands.first, let last = operands.last else { return nil }
        return Argument(
            operands.map(\.text).joined(separator: " "), isDynamic: operands.contains(where: \.isDynamic),
            span: first.span.lowerBound..<last.span.upperBound)
    }

    /// bash's `command [-pVv] CMD`: skips shell functions; `-p` searches the default PATH.
    static func command(_ rest: [Argument]) -> Wrappers.Outcome {
        let parsed = OptionScanner(short: [], long: []).scan(rest)
        if parsed.has("v") || parsed.has("V") { return .nothing }
        var change = Wrappers.Change(spawnsProcess: false)
        change.skipsFunctions = true
        if parsed.has("p") { change.setVariables.append(("PATH", Value(defaultPath))) }
        return parsed.operands.isEmpty ? .nothing : .command(parsed.operands, change)
    }

    /// `confstr(_CS_PATH)` on glibc: what `command -p` searches.
    static let defaultPath = "/bin:/usr/bin"

    /// `trap [-lp] [ACTION] SIGNAL…`: ACTION is shell code run later.
    static func trap(_ rest: [Argument]) -> Wrappers.Outcome {
        var operands = rest
        if operands.first?.text == "--" { operands.removeFirst() }
        guard let action = operands.first, operands.count >= 2, !action.text.hasPrefix("-") || action.text == "-"
        else { return .nothing }
        if action.text == "-" || action.text.isEmpty { return .nothing }
        return .script(action, Wrappers.Change(spawnsProcess: false))
    }

    /// tmux's commands, separated by `;` words (`\;`): those that run a shell command.
    static func tmux(_ rest: [Argument]) -> Wrappers.Outcome {
        let global = Runner(names: ["tmux"], valueShort: ["c", "f", "L", "S", "T"], scriptOptions: ["c"])
        let parsed = global.parse(rest)
        if let script = parsed.value("c") { return .script(script, Wrappers.Change()) }
        var outcomes: [Wrappers.Outcome] = []
        var command: [Argument] = []
        func flush() {
            if let outcome = tmuxCommand(command) { outcomes.append(outcome) }
            command = []
        }
        for argument in parsed.operands {
            if argument.text == ";" {
                flush()
            } else if argument.text.hasSuffix(";"), !argument.text.hasSuffix("\\;") {
                command.append(
                    Argument(String(argument.text.dropLast()), isDynamic: argument.isDynamic, span: argument.span))
                flush()
            } else {
                command.append(argument)
            }
        }
        flush()
        return combined(outcomes)
    }

    /// One tmux command.
    static func tmuxCommand(_ words: [Argument]) -> Wrappers.Outcome? {
        guard let name = words.first?.text else { return nil }
        let rest = Array(words.dropFirst())
        let spawning: [String: [Character]] = [
            "new-session": ["c", "e", "f", "F", "n", "s", "t", "x", "y"],
            "new": ["c", "e", "f", "F", "n", "s", "t", "x", "y"],
            "new-window": ["c", "e", "F", "n", "t"], "neww": ["c", "e", "F", "n", "t"],
            "split-window": ["c", "e", "F", "l", "m", "p", "s", "S", "t", "T"],
            "splitw": ["c", "e", "F", "l", "m", "p", "s", "S", "t", "T"],
            "respawn-pane": ["c", "e", "t"], "respawnp": ["c", "e", "t"], "respawn-window": ["c", "e", "t"],
            "respawnw": ["c", "e", "t"],
            "display-popup": ["b", "c", "d", "e", "h", "s", "S", "t", "T", "w", "x", "y"],
            "popup": ["b", "c", "d", "e", "h", "s", "S", "t", "T", "w", "x", "y"],
        ]
        if let values = spawning[name] {
            return Runner(names: [name], valueShort: values, start: .shellIfOneWord).unwrap(rest)
        }
        switch name {
        case "run-shell", "run":
            return Runner(names: [name], valueShort: ["c", "d", "t"], start: .firstOperandShell).unwrap(rest)
        case "if-shell", "if":
            return Runner(names: [name], valueShort: ["t"], start: .firstOperandShell).unwrap(rest)
        case "pipe-pane", "pipep":
            return Runner(names: [name], valueShort: ["t"], start: .firstOperandShell).unwrap(rest)
        case "send-keys", "send":
            // Keys typed into a pane's shell: the text runs when Enter is sent. Key names (Enter, C-m) are
            // not text.
            let parsed = Runner(names: [name], valueShort: ["c", "N", "t"]).parse(rest)
            let keys = parsed.operands.filter { !tmuxKeyNames.contains($0.text) }
            return joined(keys).map { .script($0, Wrappers.Change()) }
        default:
            return nil
        }
    }

    static let tmuxKeyNames: Set<String> = ["Enter", "C-m", "C-j", "KPEnter", "Escape", "Tab", "Space", "C-c", "C-d"]

    /// Several outcomes as one: scripts joined by newlines, the first command otherwise.
    static func combined(_ outcomes: [Wrappers.Outcome]) -> Wrappers.Outcome {
        guard outcomes.count > 1 else { return outcomes.first ?? .nothing }
        var scripts: [Argument] = []
        var commands: [[Argument]] = []
        for outcome in outcomes {
            switch outcome {
            case .script(let script, _): scripts.append(script)
            case .command(let words, _): commands.append(words)
            default: break
            }
        }
        if commands.isEmpty, let first = scripts.first, let last = scripts.last {
            return .script(
                Argument(
                    scripts.map(\.text).joined(separator: "\n"), isDynamic: scripts.contains(where: \.isDynamic),
                    span: first.span.lowerBound..<last.span.upperBound), Wrappers.Change())
        }
        for script in scripts {
            commands.append([Argument("sh", span: script.span), Argument("-c", span: script.span), script])
        }
        return .commands(commands, Wrappers.Change())
    }

    /// GNU screen: `-dm CMD…` runs argv; `-X CMD…` sends a screen command (`stuff TEXT`, `screen CMD…`).
    static func screen(_ rest: [Argument]) -> Wrappers.Outcome {
        let row = Runner(
            names: ["screen"], valueShort: ["c", "e", "h", "p", "S", "s", "T", "t"], valueLong: ["-Logfile"])
        let parsed = row.parse(rest)
        if parsed.has("X") || parsed.has("Q") {
            var words = parsed.operands
            guard let first = words.first?.text else { return .nothing }
            words.removeFirst()
            switch first {
            case "stuff":
                guard let text = words.first else { return .nothing }
                let decoded = Evaluator.decodeEscapes(text.text).replacingCarriageReturns
                return .script(Argument(decoded, isDynamic: text.isDynamic, span: text.span), Wrappers.Change())
            case "screen", "exec":
                return words.isEmpty ? .nothing : .command(words, Wrappers.Change())
            default:
                return .nothing
            }
        }
        if parsed.has("r") || parsed.has("R") || parsed.has("x") || parsed.has("ls") || parsed.has("list") {
            return .nothing
        }
        return parsed.operands.isEmpty ? .nothing : .command(parsed.operands, Wrappers.Change())
    }

    /// git: `-c alias.NAME=!CMD NAME …` runs CMD in a shell; `submodule foreach CMD…` runs a shell command.
    static func git(_ rest: [Argument]) -> Wrappers.Outcome {
        var aliases: [String: Argument] = [:]
        var index = 0
        let valued: Set<String> = [
            "-C", "-c", "--git-dir", "--work-tree", "--namespace", "--attr-source", "--shallow-file", "--config-env",
        ]
        while index < rest.count, rest[index].text.hasPrefix("-") {
            let text = rest[index].text
            if text == "-c", index + 1 < rest.count {
                let setting = rest[index + 1]
                if setting.text.lowercased().hasPrefix("alias."), let equals = setting.text.firstIndex(of: "=") {
                    let name = String(setting.text[setting.text.index(setting.text.startIndex, offsetBy: 6)..<equals])
                    aliases[name.lowercased()] = Runner.attached(setting, after: equals)
                }
            }
            index += valued.contains(text) ? 2 : 1
        }
        guard index < rest.count else { return .nothing }
        let subcommand = rest[index].text
        let operands = Array(rest[(index + 1)...])
        if let alias = aliases[subcommand.lowercased()], alias.text.hasPrefix("!") {
            // `sh -c 'CMD "$@"' CMD ARGS…`: the alias's extra words are appended.
            let code = String(alias.text.dropFirst())
            let script = Argument(
                ([code] + operands.map { Quoting.argument($0) }).joined(separator: " "), isDynamic: alias.isDynamic,
                span: alias.span)
            return .script(script, Wrappers.Change())
        }
        if subcommand == "submodule", operands.first?.text == "foreach" {
            var words = Array(operands.dropFirst())
            while let first = words.first, first.text == "--recursive" || first.text == "-q" || first.text == "--quiet"
            {
                words.removeFirst()
            }
            if words.first?.text == "--" { words.removeFirst() }
            return joined(words).map { .script($0, Wrappers.Change()) } ?? .nothing
        }
        if subcommand == "rebase" || subcommand == "bisect" {
            for (position, word) in operands.enumerated()
            where (word.text == "-x" || word.text == "--exec") && position + 1 < operands.count {
                return .script(operands[position + 1], Wrappers.Change())
            }
            if subcommand == "bisect", operands.first?.text == "run", operands.count > 1 {
                return .command(Array(operands.dropFirst()), Wrappers.Change())
            }
        }
        return .nothing
    }

    /// awk: `system("CMD")` with a string literal runs CMD; pipes to or from a command and `system` with
    /// computed text run code not visible in the line.
    static func awk(_ rest: [Argument]) -> Wrappers.Outcome {
        let row = Runner(
            names: ["awk"], style: .stopsAtFirstOperand, valueShort: ["F", "v", "f", "e", "i", "l", "E", "W"],
            valueLong: ["--field-separator", "--assign", "--file", "--source", "--include", "--load", "--exec"])
        let parsed = row.parse(rest)
        if parsed.has("--sandbox") || parsed.value("W")?.text == "sandbox" { return .nothing }
        guard let program = parsed.value("e") ?? parsed.value("--source") ?? parsed.operands.first else {
            return .nothing
        }
        var scripts: [String] = []
        var hidden = false
        let code = Array(program.text.utf8)
        var index = 0
        while index < code.count {
            if code[index] == UInt8(ascii: "s"), code[index...].starts(with: Array("system".utf8)) {
                var probe = index + 6
                while probe < code.count, code[probe] == UInt8(ascii: " ") { probe += 1 }
                if probe < code.count, code[probe] == UInt8(ascii: "(") {
                    probe += 1
                    while probe < code.count, code[probe] == UInt8(ascii: " ") { probe += 1 }
                    if let (literal, end) = stringLiteral(code, at: probe) {
                        var after = end
                        while after < code.count, code[after] == UInt8(ascii: " ") { after += 1 }
                        if after < code.count, code[after] == UInt8(ascii: ")") {
                            scripts.append(literal)
                        } else {
                            hidden = true
                        }
                    } else {
                        hidden = true
                    }
                }
                index = probe
                continue
            }
            if code[index] == UInt8(ascii: "|") {
                var probe = index + 1
                if probe < code.count, code[probe] == UInt8(ascii: "&") { probe += 1 }
                while probe < code.count, code[probe] == UInt8(ascii: " ") { probe += 1 }
                if probe < code.count,
                    code[probe] == UInt8(ascii: "\"") || code[probe...].starts(with: Array("getline".utf8))
                {
                    // `print … | "CMD"`: the printed text goes to CMD (often a shell); `"CMD" | getline` runs CMD.
                    hidden = true
                }
            }
            index += 1
        }
        if !scripts.isEmpty {
            let text = scripts.joined(separator: "\n")
            return .script(Argument(text, isDynamic: program.isDynamic, span: program.span), Wrappers.Change())
        }
        return hidden ? .hiddenCommand(program) : .nothing
    }

    /// A double-quoted awk/Tcl string literal at `index`: its text and the index after it.
    static func stringLiteral(_ code: [UInt8], at index: Int) -> (String, Int)? {
        guard index < code.count, code[index] == UInt8(ascii: "\"") else { return nil }
        var bytes: [UInt8] = []
        var probe = index + 1
        while probe < code.count, code[probe] != UInt8(ascii: "\"") {
            if code[probe] == UInt8(ascii: "\\"), probe + 1 < code.count {
                bytes.append(code[probe + 1])
                probe += 2
                continue
            }
            bytes.append(code[probe])
            probe += 1
        }
        guard probe < code.count else { return nil }
        return (String(decoding: bytes, as: UTF8.self), probe + 1)
    }

    /// GNU sed: the `e` command and the `e` flag of `s` run shell commands built from the pattern space.
    static func sed(_ rest: [Argument]) -> Wrappers.Outcome {
        let row = Runner(
            names: ["sed"], style: .permutes, valueShort: ["e", "f", "l"],
            valueLong: ["--expression", "--file", "--line-length"])
        let parsed = row.parse(rest)
        if parsed.has("--sandbox") { return .nothing }
        let scripts = parsed.options.filter { $0.name == "e" || $0.name == "--expression" }.compactMap(\.value)
        let programs = scripts.isEmpty ? Array(parsed.operands.prefix(1)) : scripts
        for program in programs where sedRunsCommand(program.text) { return .hiddenCommand(program) }
        return .nothing
    }

    /// Whether a sed script has an `e` command (`1e CMD`, `/x/e`) or an `s///e` flag.
    static func sedRunsCommand(_ script: String) -> Bool {
        for line in script.split(whereSeparator: { $0 == "\n" || $0 == ";" }) {
            var text = Substring(line.drop { $0 == " " })
            // Skip an address: digits, `$`, `/re/`, `,`.
            while let first = text.first, first.isNumber || first == "$" || first == "," || first == "!" || first == " "
            {
                text = text.dropFirst()
            }
            if text.first == "/", let close = text.dropFirst().firstIndex(of: "/") {
                text = text[text.index(after: close)...].drop { $0 == " " || $0 == "!" }
            }
            guard let command = text.first else { continue }
            if command == "e" { return true }
            if command == "s", let delimiter = text.dropFirst().first {
                let parts = text.dropFirst(2).split(
                    separator: delimiter, maxSplits: 2, omittingEmptySubsequences: false)
                if parts.count == 3, parts[2].prefix { $0.isLetter || $0.isNumber }.contains("e") { return true }
            }
        }
        return false
    }

    /// vim/nvim/ex: `-c CMD`, `+CMD`, `--cmd CMD` are Ex commands; `!CMD` and `call system(…)` run a shell.
    static func vim(_ rest: [Argument]) -> Wrappers.Outcome {
        var commands: [Argument] = []
        var index = 0
        while index < rest.count {
            let text = rest[index].text
            if (text == "-c" || text == "--cmd") && index + 1 < rest.count {
                commands.append(rest[index + 1])
                index += 2
                continue
            }
            if text.hasPrefix("+"), text.count > 1 {
                commands.append(
                    Argument(String(text.dropFirst()), isDynamic: rest[index].isDynamic, span: rest[index].span))
            }
            if text == "-Z" { return .nothing }
            index += 1
        }
        var scripts: [Argument] = []
        var hidden: Argument?
        for command in commands {
            var text = Substring(command.text.drop { $0 == ":" || $0 == " " })
            if text.hasPrefix("silent") { text = text.dropFirst(6).drop { $0 == "!" || $0 == " " } }
            if text.hasPrefix("r !") || text.hasPrefix("r!") || text.hasPrefix("w !") {
                text = text.drop { $0 != "!" }
            }
            if text.hasPrefix("!") {
                scripts.append(Argument(String(text.dropFirst()), isDynamic: command.isDynamic, span: command.span))
            } else if text.contains("system(") || text.hasPrefix("term") || text.contains("jobstart") {
                hidden = command
            }
        }
        if !scripts.isEmpty, let first = scripts.first, let last = scripts.last {
            return .script(
                Argument(
                    scripts.map(\.text).joined(separator: "\n"), isDynamic: scripts.contains(where: \.isDynamic),
                    span: first.span.lowerBound..<last.span.upperBound), Wrappers.Change())
        }
        return hidden.map { .hiddenCommand($0) } ?? .nothing
    }

    /// expect: `-c CMDS` is Tcl; `spawn PROG ARGS` and `system ARGS` run a program, `exec` a pipeline.
    static func expect(_ rest: [Argument]) -> Wrappers.Outcome {
        var code: [Argument] = []
        var index = 0
        while index < rest.count {
            if rest[index].text == "-c", index + 1 < rest.count {
                code.append(rest[index + 1])
                index += 2
                continue
            }
            index += 1
        }
        var scripts: [String] = []
        var hidden: Argument?
        for program in code {
            for statement in program.text.split(whereSeparator: { $0 == "\n" || $0 == ";" }) {
                let words = statement.split(separator: " ")
                guard let first = words.first else { continue }
                if first == "spawn" || first == "system" || first == "exec" {
                    let text = words.dropFirst().map(String.init).joined(separator: " ")
                    if text.contains("$") || text.contains("[") { hidden = program } else { scripts.append(text) }
                }
            }
        }
        if !scripts.isEmpty, let first = code.first, let last = code.last {
            return .script(
                Argument(
                    scripts.joined(separator: "\n"), isDynamic: code.contains(where: \.isDynamic),
                    span: first.span.lowerBound..<last.span.upperBound), Wrappers.Change())
        }
        return hidden.map { .hiddenCommand($0) } ?? .nothing
    }

    /// fd: `-x/--exec CMD…` and `-X/--exec-batch CMD…` take every word up to `;`; placeholders are file names.
    static func fd(_ rest: [Argument]) -> Wrappers.Outcome {
        var commands: [[Argument]] = []
        var index = 0
        while index < rest.count {
            let text = rest[index].text
            if text == "-x" || text == "--exec" || text == "-X" || text == "--exec-batch" {
                var command: [Argument] = []
                index += 1
                while index < rest.count, rest[index].text != ";" {
                    var argument = rest[index]
                    if argument.text.contains("{") && argument.text.contains("}") { argument.isDynamic = true }
                    command.append(argument)
                    index += 1
                }
                if !command.isEmpty { commands.append(command) }
            }
            index += 1
        }
        var change = Wrappers.Change()
        change.addsDynamicArguments = commands.count == 1
        if commands.count == 1, commands[0].contains(where: \.isDynamic) { change.addsDynamicArguments = false }
        return commands.isEmpty
            ? .nothing : commands.count == 1 ? .command(commands[0], change) : .commands(commands, Wrappers.Change())
    }

    /// gdb: `--args PROG ARGS…` is the inferior; `-ex 'shell CMD'` / `-ex '!CMD'` run a shell.
    static func gdb(_ rest: [Argument]) -> Wrappers.Outcome {
        var scripts: [Argument] = []
        var index = 0
        while index < rest.count {
            let text = rest[index].text
            if text == "--args" || text == "-args" {
                let inferior = Array(rest[(index + 1)...])
                return inferior.isEmpty ? .nothing : .command(inferior, Wrappers.Change())
            }
            if ["-ex", "--ex", "-eval-command", "--eval-command", "-iex", "--iex"].contains(text),
                index + 1 < rest.count
            {
                let command = rest[index + 1]
                let body = command.text.drop { $0 == " " }
                if body.hasPrefix("!") {
                    scripts.append(Argument(String(body.dropFirst()), isDynamic: command.isDynamic, span: command.span))
                } else if body.hasPrefix("shell ") {
                    scripts.append(
                        Argument(String(body.dropFirst(6)), isDynamic: command.isDynamic, span: command.span))
                }
                index += 2
                continue
            }
            index += 1
        }
        if let first = scripts.first, let last = scripts.last {
            return .script(
                Argument(
                    scripts.map(\.text).joined(separator: "\n"), isDynamic: scripts.contains(where: \.isDynamic),
                    span: first.span.lowerBound..<last.span.upperBound), Wrappers.Change())
        }
        return .nothing
    }

    /// nodemon: `-x/--exec CMD` runs `sh -c "CMD ARGS"`.
    static func nodemon(_ rest: [Argument]) -> Wrappers.Outcome {
        let row = Runner(
            names: ["nodemon"], style: .permutes, valueShort: ["x", "w", "i", "e", "d", "s", "P"],
            valueLong: [
                "--exec", "--watch", "--ignore", "--ext", "--delay", "--signal", "--polling-interval", "--config",
                "--cwd",
            ])
        let parsed = row.parse(rest)
        guard let exec = parsed.value("x") ?? parsed.value("--exec") else { return .nothing }
        return joined([exec] + parsed.operands).map { .script($0, Wrappers.Change()) } ?? .nothing
    }
}

extension String {
    /// `\r` (what `stuff 'cmd\r'` types as Enter) read as a newline.
    var replacingCarriageReturns: String {
        String(map { $0 == "\r" ? "\n" : $0 })
    }
}
