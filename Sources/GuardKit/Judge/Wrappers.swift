/// Programs that run another command, and how to find that command among their arguments.
///
/// Each wrapper's own options are parsed (as its manual describes them) so that an option's value is
/// never mistaken for the command: `sudo -u pip ls` runs `ls`, `timeout -s KILL 5 pip …` runs `pip`.
enum Wrappers {
    /// How a wrapper runs what it wraps.
    struct Change {
        var elevated = false
        var setVariables: [(String, Value)] = []
        var unsetVariables: [String] = []
        var clearsEnvironment = false
        /// Variables a clearing wrapper keeps (sudo keeps HOME and TERM).
        var keptVariables: Set<String> = []
        var directory: Value?
        /// `command`, `builtin`, `exec`, `time` run the command in the shell itself.
        var spawnsProcess = true
        /// `xargs` and `parallel` add arguments read from their input.
        var addsDynamicArguments = false
        /// `command CMD` skips shell functions.
        var skipsFunctions = false
        /// `$0`, `$1` … of a shell the wrapper starts (`bash -c CODE NAME ARGS`); empty when unknown.
        var positionalParameters: [Argument]?
        /// A login shell (`bash -l`, `su -`, `sudo -i`): /etc/profile sets PATH anew, so an activated venv
        /// does not carry into it.
        var login = false
        /// An interactive shell (`bash -i`): it reads its start-up file (`~/.bashrc`, `--rcfile FILE`, `$ENV`).
        var interactive = false
        /// The start-up file given on the command line (`--rcfile FILE`, `--init-file FILE`).
        var startupFile: Argument?
        /// The shell was told to read no start-up files (`--norc`, `--noprofile`, zsh's `-f`).
        var skipsStartupFiles = false
    }

    /// What a wrapper runs.
    enum Outcome {
        /// A command: argv.
        case command([Argument], Change)
        /// Several commands (`find … -exec a \; -exec b \;`).
        case commands([[Argument]], Change)
        /// Shell code in a string (`bash -c '…'`, `su -c '…'`, `watch '…'`).
        case script(Argument, Change)
        /// A shell reading its commands from standard input (`bash`, `sh -s`, `bash -`).
        case standardInputScript(Change)
        /// Shell code only known when the line runs: a fetched script (`bash <(curl …)`, `bash -c "$(curl …)"`).
        case fetchedScript(Argument)
        /// A shell running a script file (`bash script.sh ARGS`, `fish x.fish`): the file, its arguments.
        case scriptFile(Argument, [Argument], Change)
        /// A command the runner builds in a language toolguard does not read (`awk '{print … | "sh"}'`,
        /// `sed 's/…/…/e'`): the text that holds it.
        case hiddenCommand(Argument)
        /// A cron table (`crontab FILE`, `crontab -` or `crontab` reading standard input: `nil`): each
        /// entry's command runs later, judged as if it ran now.
        case cronTable(Argument?)
        /// Nothing runs (`command -v pip`, `sudo -l`, `env` alone).
        case nothing
    }

    /// The PATH sudo and doas search (Debian's and OpenBSD's secure_path).
    static let securePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    static let shells: Set<String> = ["bash", "sh", "zsh", "dash", "ksh", "ash", "mksh", "yash", "busybox"]

    /// The names this table knows, for a fast check before parsing.
    static let names: Set<String> = Set([
        "sudo", "doas", "env", "flock", "watch", "xargs", "find", "parallel", "su", "mise", "rtx", "nix-shell",
        "script", "crontab",
    ]).union(shells).union(Runner.names)

    /// Unwraps `arguments` when its first word is a wrapper; `nil` when it is not one.
    static func unwrap(_ name: String, _ arguments: [Argument]) -> Outcome? {
        let rest = Array(arguments.dropFirst())
        switch name {
        case "sudo": return sudo(rest)
        case "doas":
            let parsed = OptionScanner(short: ["u", "C"], long: []).scan(rest)
            if parsed.has("C") { return .nothing }
            var change = Change(elevated: true)
            change.clearsEnvironment = true
            change.keptVariables = ["HOME", "TERM", "LANG", "USER", "LOGNAME", "SHELL"]
            change.setVariables.append(("PATH", Value(securePath)))
            return command(parsed.operands, change)
        case "env": return env(rest)
        case "flock": return flock(rest)
        case "watch": return watch(rest)
        case "xargs": return xargs(rest)
        case "find": return find(rest)
        case "parallel": return parallel(rest)
        case "su": return su(rest)
        case "mise", "rtx": return mise(rest)
        case "nix-shell": return nixShell(rest)
        case "crontab":
            // `crontab [-u USER] [FILE | -]` installs a table; `-l`, `-r`, `-e` list, remove or edit (a person's
            // editor) and install nothing the line shows.
            let parsed = OptionScanner(short: ["u"], long: []).scan(rest)
            if parsed.has("l") || parsed.has("r") || parsed.has("e") || parsed.has("V") { return .nothing }
            guard let file = parsed.operands.first, file.text != "-" else { return .cronTable(nil) }
            return .cronTable(file)
        case "script":
            // `script -q -c 'COMMAND' FILE` runs COMMAND in a shell under a recorded terminal.
            let parsed = OptionScanner(
                short: ["c", "E", "I", "O", "B", "T", "t", "m"], long: ["--command", "--log-io"]
            )
            .scan(rest)
            guard let script = parsed.argument("c") ?? parsed.argument("--command") else { return .nothing }
            return .script(script, Change())
        default:
            return shells.contains(name) ? shell(name, rest) : Runners.unwrap(name, rest)
        }
    }

    private static func command(_ operands: [Argument], _ change: Change) -> Outcome {
        operands.isEmpty ? .nothing : .command(operands, change)
    }

    private static func sudo(_ arguments: [Argument]) -> Outcome {
        let parsed = OptionScanner(
            short: ["u", "g", "h", "p", "C", "D", "r", "t", "T", "U", "R"],
            long: [
                "--user", "--group", "--host", "--prompt", "--close-from", "--chdir", "--role", "--type",
                "--command-timeout", "--other-user", "--chroot",
            ]
        ).scan(arguments)
        if parsed.has("l") || parsed.has("v") || parsed.has("K") || parsed.has("k") && parsed.operands.isEmpty
            || parsed.has("V") || parsed.has("e") || parsed.has("--list") || parsed.has("--validate")
            || parsed.has("--edit")
        {
            return .nothing
        }
        var change = Change(elevated: true)
        change.directory = parsed.value("D") ?? parsed.value("--chdir")
        // sudo resets the environment (env_reset) unless told to keep it, and searches its secure_path:
        // `sudo pip` is the system's pip even inside an activated venv.
        if !(parsed.has("E") || parsed.options.contains { $0.name.hasPrefix("--preserve-env") }) {
            change.clearsEnvironment = true
            change.keptVariables = ["HOME", "TERM", "LANG", "USER", "LOGNAME", "SHELL"]
        }
        change.setVariables.append(("PATH", Value(securePath)))
        var operands = parsed.operands
        // `sudo VAR=value command`: sudo sets those variables for the command.
        operands = takeAssignments(operands, into: &change)
        if parsed.has("i") || parsed.has("--login") { change.login = true }
        if operands.isEmpty {
            // `sudo -s` / `sudo -i` alone start a root shell, which reads its commands from standard input
            // (`sudo -s <<< 'pip install x'`).
            let startsShell = parsed.has("s") || parsed.has("i") || parsed.has("--shell") || parsed.has("--login")
            return startsShell ? .standardInputScript(change) : .nothing
        }
        if parsed.has("s") || parsed.has("i") || parsed.has("--shell") || parsed.has("--login") {
            // `sudo -s cmd` and `sudo -i cmd` run the command through the target user's shell.
            let joined = operands.map(\.text).joined(separator: " ")
            let span = operands.first!.span.lowerBound..<operands.last!.span.upperBound
            return .script(Argument(joined, isDynamic: operands.contains(where: \.isDynamic), span: span), change)
        }
        return .command(operands, change)
    }

    private static func env(_ arguments: [Argument]) -> Outcome {
        var change = Change()
        var index = 0
        var splitString: Argument?
        while index < arguments.count {
            let argument = arguments[index]
            let text = argument.text
            if text == "--" {
                index += 1
                break
            }
            if text == "-" || text == "-i" || text == "--ignore-environment" {
                change.clearsEnvironment = true
            } else if text == "-u" || text == "--unset" || text == "-C" || text == "--chdir" || text == "-S"
                || text == "--split-string"
            {
                guard index + 1 < arguments.count else { return .nothing }
                let value = arguments[index + 1]
                switch text {
                case "-u", "--unset": change.unsetVariables.append(value.text)
                case "-C", "--chdir": change.directory = value.value
                default: splitString = value
                }
                index += 1
            } else if text.hasPrefix("--unset=") {
                change.unsetVariables.append(String(text.dropFirst(8)))
            } else if text.hasPrefix("--chdir=") {
                change.directory = Value(String(text.dropFirst(8)), isDynamic: argument.isDynamic)
            } else if text.hasPrefix("-u"), text.count > 2 {
                change.unsetVariables.append(String(text.dropFirst(2)))
            } else if text.hasPrefix("-C"), text.count > 2 {
                change.directory = Value(String(text.dropFirst(2)), isDynamic: argument.isDynamic)
            } else if text.hasPrefix("-S"), text.count > 2 {
                splitString = Argument(String(text.dropFirst(2)), isDynamic: argument.isDynamic, span: argument.span)
            } else if text.hasPrefix("--split-string=") {
                splitString = Argument(String(text.dropFirst(15)), isDynamic: argument.isDynamic, span: argument.span)
            } else if text.hasPrefix("-"), text.count > 1 {
                // -0, -v, --debug, --default-signal …: flags.
            } else {
                break
            }
            index += 1
        }
        var operands = Array(arguments[index...])
        operands = takeAssignments(operands, into: &change)
        if let splitString {
            // `env -S 'pip install x'` splits the string into words and runs them.
            let words = splitString.text.split(separator: " ").map {
                Argument(String($0), isDynamic: splitString.isDynamic, span: splitString.span)
            }
            operands = words + operands
            operands = takeAssignments(operands, into: &change)
        }
        return command(operands, change)
    }

    /// `flock [options] FILE COMMAND…` or `flock [options] FILE -c 'COMMAND'` (options end at FILE).
    private static func flock(_ arguments: [Argument]) -> Outcome {
        let parsed = OptionScanner(short: ["w", "E"], long: ["--timeout", "--wait", "--conflict-exit-code"]).scan(
            arguments)
        let afterFile = parsed.operands.dropFirst()
        if let flag = afterFile.first, flag.text == "-c" || flag.text == "--command" {
            guard let script = afterFile.dropFirst().first else { return .nothing }
            return .script(script, Change())
        }
        return command(Array(afterFile), Change())
    }

    private static func watch(_ arguments: [Argument]) -> Outcome {
        let parsed = OptionScanner(short: ["n", "q"], long: ["--interval", "--equexit"]).scan(arguments)
        if parsed.has("x") || parsed.has("--exec") { return command(parsed.operands, Change()) }
        // Without -x, watch joins its arguments and runs them with `sh -c`.
        guard let first = parsed.operands.first, let last = parsed.operands.last else { return .nothing }
        let joined = parsed.operands.map(\.text).joined(separator: " ")
        return .script(
            Argument(
                joined, isDynamic: parsed.operands.contains(where: \.isDynamic),
                span: first.span.lowerBound..<last.span.upperBound), Change())
    }

    /// xargs's options (GNU findutils), read here and where its input is known (FedCommands.swift).
    static let xargsOptions = OptionScanner(
        short: ["a", "d", "E", "I", "L", "n", "P", "s"],
        long: [
            "--arg-file", "--delimiter", "--eof", "--replace", "--max-lines", "--max-args", "--max-procs",
            "--max-chars", "--process-slot-var",
        ],
        optionalValueShort: ["e", "i", "l"])

    /// GNU parallel's options before its command.
    static let parallelOptions = OptionScanner(
        short: ["j", "J", "S", "a", "n", "N", "L", "l", "P", "d", "E", "I", "s", "C"],
        long: ["--jobs", "--sshlogin", "--arg-file", "--max-args", "--colsep", "--delimiter", "--results"],
        stopsAtFirstOperand: true)

    private static func xargs(_ arguments: [Argument]) -> Outcome {
        let parsed = xargsOptions.scan(arguments)
        var change = Change()
        change.addsDynamicArguments = true
        var operands = parsed.operands
        if let replace = parsed.value("I")?.text ?? parsed.value("--replace")?.text ?? (parsed.has("i") ? "{}" : nil) {
            operands = operands.map { argument in
                var replaced = argument
                if argument.text.contains(replace) { replaced.isDynamic = true }
                return replaced
            }
            change.addsDynamicArguments = false
        }
        return command(operands, change)
    }

    private static func find(_ arguments: [Argument]) -> Outcome {
        var commands: [[Argument]] = []
        var index = 0
        while index < arguments.count {
            let text = arguments[index].text
            if text == "-exec" || text == "-execdir" || text == "-ok" || text == "-okdir" {
                var command: [Argument] = []
                index += 1
                while index < arguments.count, arguments[index].text != ";", arguments[index].text != "+" {
                    var argument = arguments[index]
                    if argument.text.contains("{}") { argument.isDynamic = true }
                    command.append(argument)
                    index += 1
                }
                if !command.isEmpty { commands.append(command) }
            }
            index += 1
        }
        return commands.isEmpty ? .nothing : .commands(commands, Change())
    }

    private static func parallel(_ arguments: [Argument]) -> Outcome {
        let parsed = parallelOptions.scan(arguments)
        let template = Array(parsed.operands.prefix { !$0.text.hasPrefix(":::") })
        guard let first = template.first else { return .nothing }
        var change = Change()
        change.addsDynamicArguments = true
        if template.count == 1, first.text.contains(" ") {
            // `parallel 'pip install {}' ::: a b`: the template is shell code.
            return .script(Argument(first.text, isDynamic: true, span: first.span), change)
        }
        return .command(template, change)
    }

    private static func su(_ arguments: [Argument]) -> Outcome {
        let parsed = OptionScanner(
            short: ["c", "s", "g", "G", "C", "w"],
            long: ["--command", "--session-command", "--shell", "--group", "--supp-group", "--whitelist-environment"],
            stopsAtFirstOperand: false
        ).scan(arguments)
        guard
            let script = parsed.argument("c") ?? parsed.argument("C") ?? parsed.argument("--command")
                ?? parsed.argument("--session-command")
        else { return .nothing }
        var change = Change(elevated: true)
        change.login = parsed.has("l") || parsed.has("--login") || parsed.operands.contains { $0.text == "-" }
        return .script(script, change)
    }

    private static func mise(_ arguments: [Argument]) -> Outcome {
        guard let subcommand = arguments.first?.text, subcommand == "x" || subcommand == "exec" else {
            return .nothing
        }
        let rest = Array(arguments.dropFirst())
        let parsed = OptionScanner(short: ["c", "j", "C", "E"], long: ["--command", "--jobs", "--cd", "--env"]).scan(
            rest)
        if let script = parsed.argument("c") ?? parsed.argument("--command") { return .script(script, Change()) }
        guard let separator = rest.firstIndex(where: { $0.text == "--" }) else { return .nothing }
        return command(Array(rest[(separator + 1)...]), Change())
    }

    private static func nixShell(_ arguments: [Argument]) -> Outcome {
        for (index, argument) in arguments.enumerated()
        where argument.text == "--run" || argument.text == "--command" {
            guard index + 1 < arguments.count else { return .nothing }
            return .script(arguments[index + 1], Change())
        }
        return .nothing
    }

    private static func shell(_ name: String, _ arguments: [Argument]) -> Outcome {
        var rest = arguments
        if name == "busybox" {
            guard let applet = rest.first, shells.contains(applet.text) else { return .nothing }
            rest.removeFirst()
        }
        var readsCommandString = false
        var readsStandardInput = false
        var change = Change()
        var runsNothing = false
        var index = 0
        while index < rest.count {
            let text = rest[index].text
            if text == "--" {
                index += 1
                break
            }
            if text == "-o" || text == "+o" || text == "-O" || text == "+O" || text == "--rcfile"
                || text == "--init-file"
            {
                if text == "-o", index + 1 < rest.count, rest[index + 1].text == "noexec" { runsNothing = true }
                if text == "--rcfile" || text == "--init-file", index + 1 < rest.count {
                    change.startupFile = rest[index + 1]
                }
                index += 2
                continue
            }
            if text.hasPrefix("--") {
                if text == "--login" { change.login = true }
                if text == "--norc" || text == "--noprofile" || text == "--no-rcs" { change.skipsStartupFiles = true }
                index += 1
                continue
            }
            if text.count > 1, text.hasPrefix("-") || text.hasPrefix("+") {
                let letters = text.dropFirst()
                if text.hasPrefix("-"), letters.contains("l") { change.login = true }
                if text.hasPrefix("-"), letters.contains("i") { change.interactive = true }
                if text.hasPrefix("-"), name == "zsh", letters.contains("f") { change.skipsStartupFiles = true }
                if text.hasPrefix("-"), letters.contains("c") { readsCommandString = true }
                if text.hasPrefix("-"), letters.contains("s") { readsStandardInput = true }
                // `-n` (noexec): the shell reads the commands and runs none.
                if text.hasPrefix("-"), letters.contains("n") { runsNothing = true }
                index += 1
                continue
            }
            break
        }
        let operands = Array(rest[min(index, rest.count)...])
        if runsNothing { return .nothing }
        if readsCommandString {
            guard let script = operands.first else { return .nothing }
            change.positionalParameters = Array(operands.dropFirst())
            return isFetched(script) ? .fetchedScript(script) : .script(script, change)
        }
        if readsStandardInput || operands.isEmpty || standardInputFiles.contains(operands[0].text) {
            change.positionalParameters = [Argument(name, span: 0..<0)] + operands.dropFirst()
            return .standardInputScript(change)
        }
        if isFetched(operands[0]) { return .fetchedScript(operands[0]) }
        // `bash script.sh ARGS`: a script file.
        return .scriptFile(operands[0], Array(operands.dropFirst()), change)
    }

    /// File names that are a process's standard input (`bash /dev/stdin <<< "…"`).
    static let standardInputFiles: Set<String> = ["-", "/dev/stdin", "/proc/self/fd/0", "/dev/fd/0"]

    /// Whether a script argument is nothing but the output of a command or process substitution.
    static func isFetched(_ argument: Argument) -> Bool {
        argument.isDynamic && ["$(…)", "<(…)", "`…`"].contains(argument.text.trimmingBlanks)
    }

    /// Leading `NAME=value` arguments set variables for the command; the rest is the command.
    static func takeAssignments(_ operands: [Argument], into change: inout Change) -> [Argument] {
        var index = 0
        while index < operands.count,
            let assignment = assignmentParts(operands[index]) ?? exportedFunction(operands[index])
        {
            change.setVariables.append(assignment)
            index += 1
        }
        return index == 0 ? operands : Array(operands[index...])
    }

    /// `NAME=value` as a wrapper argument (`env`, `sudo`).
    /// `BASH_FUNC_NAME%%=() { …; }`: a function bash imports from its environment (env(1) takes any name).
    static func exportedFunction(_ argument: Argument) -> (String, Value)? {
        guard argument.text.hasPrefix("BASH_FUNC_"), let equals = argument.text.firstIndex(of: "="),
            argument.text[..<equals].hasSuffix("%%")
        else { return nil }
        return (
            String(argument.text[..<equals]),
            Value(String(argument.text[argument.text.index(after: equals)...]), isDynamic: argument.isDynamic)
        )
    }

    static func assignmentParts(_ argument: Argument) -> (String, Value)? {
        guard let equals = argument.text.firstIndex(of: "=") else { return nil }
        let name = argument.text[..<equals]
        guard let first = name.utf8.first, first.isNameStart, name.utf8.allSatisfy(\.isNameCharacter) else {
            return nil
        }
        return (
            String(name),
            Value(String(argument.text[argument.text.index(after: equals)...]), isDynamic: argument.isDynamic)
        )
    }
}

extension String {
    var trimmingBlanks: Substring {
        let start = firstIndex { $0 != " " && $0 != "\t" && $0 != "\n" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" && $0 != "\n" }.map { index(after: $0) } ?? start
        return self[start..<max(start, end)]
    }
}

/// A getopt-style scan of a wrapper's options up to its first operand.
struct OptionScanner {
    /// Short options that take a value (`-u root`, `-uroot`).
    var short: Set<Character>
    /// Long options that take a value (`--user root`, `--user=root`).
    var long: Set<String>
    /// Short options whose value, if any, is attached (`-i{}`, `-e`).
    var optionalValueShort: Set<Character> = []
    /// Digits alone are a flag (`nice -10`).
    var numericFlags = false
    /// Options end at the first operand (GNU getopt would permute; wrappers do not).
    var stopsAtFirstOperand = true

    struct Result {
        var options: [(name: String, value: Argument?)] = []
        var operands: [Argument] = []

        func has(_ name: String) -> Bool { options.contains { $0.name == name } }
        func argument(_ name: String) -> Argument? { options.last { $0.name == name }?.value }
        func value(_ name: String) -> Value? { argument(name)?.value }
    }

    init(
        short: Set<Character>, long: Set<String>, optionalValueShort: Set<Character> = [], numericFlags: Bool = false,
        stopsAtFirstOperand: Bool = true
    ) {
        self.short = short
        self.long = long
        self.optionalValueShort = optionalValueShort
        self.numericFlags = numericFlags
        self.stopsAtFirstOperand = stopsAtFirstOperand
    }

    func scan(_ arguments: [Argument]) -> Result {
        var result = Result()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let text = argument.text
            if text == "--" {
                result.operands.append(contentsOf: arguments[(index + 1)...])
                return result
            }
            if text.hasPrefix("--"), text.count > 2 {
                if let equals = text.firstIndex(of: "=") {
                    let name = String(text[..<equals])
                    let value = Argument(
                        String(text[text.index(after: equals)...]), isDynamic: argument.isDynamic, span: argument.span)
                    result.options.append((name, value))
                } else if long.contains(text), index + 1 < arguments.count {
                    result.options.append((text, arguments[index + 1]))
                    index += 1
                } else {
                    result.options.append((text, nil))
                }
            } else if text.hasPrefix("-"), text.count > 1, !argument.isDynamic {
                if numericFlags, text.dropFirst().allSatisfy(\.isNumber) {
                    result.options.append((text, nil))
                    index += 1
                    continue
                }
                var letters = Substring(text.dropFirst())
                while let letter = letters.first {
                    letters = letters.dropFirst()
                    if short.contains(letter) {
                        if !letters.isEmpty {
                            let value = Argument(String(letters), isDynamic: argument.isDynamic, span: argument.span)
                            result.options.append((String(letter), value))
                        } else if index + 1 < arguments.count {
                            result.options.append((String(letter), arguments[index + 1]))
                            index += 1
                        } else {
                            result.options.append((String(letter), nil))
                        }
                        break
                    }
                    if optionalValueShort.contains(letter) {
                        let value =
                            letters.isEmpty
                            ? nil : Argument(String(letters), isDynamic: argument.isDynamic, span: argument.span)
                        result.options.append((String(letter), value))
                        break
                    }
                    result.options.append((String(letter), nil))
                }
            } else if stopsAtFirstOperand {
                result.operands.append(contentsOf: arguments[index...])
                return result
            } else {
                result.operands.append(argument)
            }
            index += 1
        }
        return result
    }
}

extension Wrappers {
    /// A cron table's entries as shell lines: `MIN HOUR DAY MONTH WEEKDAY COMMAND` or `@reboot COMMAND` give
    /// COMMAND (up to an unescaped `%`, after which cron feeds the rest to it as input); `NAME=VALUE` lines
    /// set the environment of the commands after them; comments and blank lines run nothing.
    static func cronCommands(_ table: String) -> String {
        var lines: [String] = []
        for line in table.split(separator: "\n") {
            let text = line.drop { $0 == " " || $0 == "\t" }
            guard let first = text.first, first != "#" else { continue }
            var fields = text.split(maxSplits: first == "@" ? 1 : 5, whereSeparator: { $0 == " " || $0 == "\t" })
            if let assignment = fields.first, assignment.contains("="), !assignment.hasPrefix("@"),
                assignment.first?.isNumber == false, assignment.first != "*"
            {
                lines.append("export " + text)
                continue
            }
            guard fields.count == (first == "@" ? 2 : 6), let command = fields.popLast() else { continue }
            var kept = ""
            var escaped = false
            for character in command {
                if character == "%" && !escaped { break }
                escaped = character == "\\" && !escaped
                kept.append(character)
            }
            lines.append(kept)
        }
        return lines.joined(separator: "\n")
    }
}
