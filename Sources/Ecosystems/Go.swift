public import GuardKit

/// Go: the go command.
///
/// `go install` writes executables to GOBIN, else the first GOPATH entry's `bin`, else `~/go/bin`,
/// with or without `@version`: it is the project's only when that directory is inside the project.
/// `go get` in module mode only edits go.mod/go.sum and fills the module cache (a cache keeping
/// versions side by side, not an install); in GOPATH mode it writes `$GOPATH/src` and `bin`.
public struct Go: Ecosystem {
    public let id = "go"
    public let summary = "The go command: `go install` goes to a project-local GOBIN, `go get` edits the module."
    public let programs = ["go"]
    public let projectMarkers = ["go.mod", "go.work"]

    /// Creates the module.
    public init() {}

    /// `go install` and (in GOPATH mode) `go get`.
    public let operationWords: Set<String> = ["install", "get"]
    /// The default GOBIN: `$GOPATH/bin` with GOPATH defaulting to `~/go`.
    public let userBinDirectories = ["go/bin"]

    /// Every rule the module can fire.
    public let rules = [
        Go.install, Go.installLocation, Go.getGopath, Go.envWrite, Go.buildOutput, Go.localLocation, Go.moduleCommand,
    ]

    /// `go.install`.
    public static let install = Rule(
        id: "go.install", verdict: .block,
        summary:
            "`go install` with neither GOBIN nor GOPATH set writes executables to ~/go/bin, shared by every project.")

    /// `go.install-location`.
    public static let installLocation = Rule(
        id: "go.install-location", verdict: .block,
        summary: "The GOBIN (or GOPATH/bin) that applies is outside the project.")

    /// `go.get-gopath`.
    public static let getGopath = Rule(
        id: "go.get-gopath", verdict: .block,
        summary: "`go get` outside a module or with GO111MODULE=off runs in GOPATH mode and writes $GOPATH/src and bin."
    )

    /// `go.env-write`.
    public static let envWrite = Rule(
        id: "go.env-write", verdict: .block,
        summary: "`go env -w` writes the user-wide Go configuration, which sends every later install there.")

    /// `go.build-output`.
    public static let buildOutput = Rule(
        id: "go.build-output", verdict: .block,
        summary: "`go build -o` writes the executable where commands are found (PATH, /usr, ~/bin …).")

    /// `go.local-location`.
    public static let localLocation = Rule(
        id: "go.local-location", verdict: .allow,
        summary: "GOBIN, GOPATH, the Go config file or the `-o` path is inside the project.")

    /// `go.module-command`.
    public static let moduleCommand = Rule(
        id: "go.module-command", verdict: .allow,
        summary: "The command works on the project's module (go.mod, go.sum, vendor/) and the shared module cache.")

    /// Patterns that are global in every context: run as root, an install or a module change is never
    /// project-local. `go install *` is not one: with a project GOBIN it is allowed.
    public let denyPatterns = ["Bash(sudo go install *)", "Bash(sudo go get *)"]

    public func judge(_ invocation: Invocation, in context: JudgementContext) -> Judgement {
        GoCommand(module: self, invocation: invocation, context: context).judge()
    }
}

// MARK: - Reading one command

/// One go command being read.
struct GoCommand {
    let module: Go
    let invocation: Invocation
    let context: JudgementContext

    var environment: Environment { invocation.environment }

    /// The command as written, for fixes that keep it whole.
    var asWritten: String { invocation.arguments.map(Quoting.argument).joined(separator: " ") }

    func pass(_ note: String) -> Judgement { Judgement(findings: [], notes: [note]) }

    func finding(_ rule: Rule, _ reason: String, fix: String? = nil, verdict: Verdict? = nil) -> Judgement {
        Judgement(findings: [module.finding(rule, invocation, reason: reason, fix: fix, verdict: verdict)])
    }

    /// The go commands, and those that have subcommands (what cmd/go's `lookupCmd` walks).
    static let commands: Set<String> = [
        "bug", "build", "clean", "doc", "env", "fix", "fmt", "generate", "get", "install", "list", "mod", "work",
        "run", "telemetry", "test", "tool", "version", "vet", "help",
    ]
    static let subcommands: [String: Set<String>] = [
        "mod": ["download", "edit", "graph", "init", "tidy", "vendor", "verify", "why"],
        "work": ["edit", "init", "sync", "use", "vendor"],
    ]

    /// Build flags that take a value (`go help build`); every other flag is boolean.
    static let buildValueFlags: Set<String> = [
        "C", "p", "asmflags", "buildmode", "compiler", "gccgoflags", "gcflags", "installsuffix", "ldflags", "mod",
        "modfile", "overlay", "pgo", "pkgdir", "tags", "toolexec", "o", "covermode", "coverpkg", "exec",
        "debug-actiongraph", "debug-runtime-trace", "debug-trace",
    ]

    func judge() -> Judgement {
        var arguments = Array(invocation.operands)
        // cmd/go's handleChdirFlag: `-C dir` is the first argument after the command path (`go -C d
        // install`, `go install -C d`, `go mod tidy -C d`), spelled -C or --C, with `=` or a separate value.
        var pathLength = 0
        if let first = arguments.first, Self.commands.contains(first.text) {
            pathLength = 1
            if let subcommands = Self.subcommands[first.text], arguments.count > 1,
                subcommands.contains(arguments[1].text)
            {
                pathLength = 2
            }
        }
        var directory = invocation.directory
        var chdir: [String] = []
        if let (value, count) = Self.chdirFlag(arguments, at: pathLength) {
            directory = context.absolutePath(value.value, relativeTo: invocation.directory)
            chdir = ["-C", Quoting.argument(value)]
            arguments.removeSubrange(pathLength..<(pathLength + count))
        }
        guard let command = arguments.first else { return Judgement() }
        if command.isDynamic {
            return finding(
                Go.install, Reasons.dynamicCommand(of: "go", command.text), verdict: .ask)
        }
        if command.text.hasPrefix("-") { return pass("go takes no flag but -C before its command") }
        let rest = Array(arguments.dropFirst())
        switch command.text {
        case "install": return install(rest, directory: directory, chdir: chdir)
        case "get": return get(rest, directory: directory, chdir: chdir)
        case "build": return build(rest, directory: directory)
        case "env": return env(rest, directory: directory)
        case "clean": return clean(rest, directory: directory)
        case "mod", "work": return moduleCommand(command.text, rest: rest, directory: directory)
        default: return pass("`go \(command.text)` installs nothing")
        }
    }

    /// `-C dir`, `--C dir`, `-C=dir`, `--C=dir` at `index`: the directory and how many arguments it took.
    static func chdirFlag(_ arguments: [Argument], at index: Int) -> (Argument, Int)? {
        guard index < arguments.count else { return nil }
        let argument = arguments[index]
        let text = argument.text
        if text == "-C" || text == "--C" {
            return index + 1 < arguments.count ? (arguments[index + 1], 2) : nil
        }
        for prefix in ["-C=", "--C="] where text.hasPrefix(prefix) {
            return (
                Argument(String(text.dropFirst(prefix.count)), isDynamic: argument.isDynamic, span: argument.span), 1
            )
        }
        return nil
    }

    // MARK: Flags the way Go's flag package reads them

    /// Flags as Go's `flag` package parses them: `-name` or `--name`, `=value` or a separate value for
    /// flags that take one, no bundling, stopping at the first non-flag or after `--`.
    struct Flags {
        struct Found {
            let name: String
            let value: Argument?
            let written: Argument
        }

        var found: [Found] = []
        var operands: [Argument] = []

        /// Whether a boolean flag is on (`-n`, `-n=true`; not `-n=false`).
        func has(_ name: String) -> Bool {
            guard let last = found.last(where: { $0.name == name }) else { return false }
            guard let value = last.value else { return true }
            return !["false", "0", "f", "F", "FALSE", "False"].contains(value.text)
        }

        func value(_ name: String) -> Found? { found.last { $0.name == name && $0.value != nil } }

        /// `-h`, `-help` (and `--help`): go prints the command's usage.
        var asksForHelp: Bool { found.contains { $0.name == "h" || $0.name == "help" } }

        init(_ arguments: [Argument], valueFlags: Set<String>) {
            var index = 0
            while index < arguments.count {
                let argument = arguments[index]
                let text = argument.text
                if text == "--" {
                    operands = Array(arguments[(index + 1)...])
                    return
                }
                guard text.hasPrefix("-"), text != "-", !(argument.isDynamic && text.hasPrefix("$")) else {
                    operands = Array(arguments[index...])
                    return
                }
                var name = text.dropFirst()
                if name.hasPrefix("-") { name = name.dropFirst() }
                var value: Argument?
                if let equals = name.firstIndex(of: "=") {
                    value = Argument(
                        String(name[name.index(after: equals)...]), isDynamic: argument.isDynamic, span: argument.span)
                    name = name[..<equals]
                } else if valueFlags.contains(String(name)), index + 1 < arguments.count {
                    value = arguments[index + 1]
                    index += 1
                }
                found.append(Found(name: String(name), value: value, written: argument))
                index += 1
            }
        }
    }

    // MARK: The project, for fixes

    /// The project root as seen from the directory go runs in (after `-C`).
    func projectRoot(_ directory: String?) -> String? { directory.flatMap { context.projectRoot(of: $0) } }

    /// A path in the project, written for an assignment on the fix's command line: `$PWD/…` when the
    /// shell is in the project (it expands before go changes directory), else absolute.
    func projectPath(_ project: String, _ name: String) -> String {
        if let shell = invocation.directory, Paths.isInside(shell, project) {
            let relative = Paths.relative(project + "/" + name, from: shell)
            return "$PWD/" + (relative.hasPrefix("./") ? String(relative.dropFirst(2)) : relative)
        }
        return Quoting.word(project + "/" + name)
    }

    /// Runs a package instead of installing it: where there is no project to install into. `chdir` is the
    /// `-C DIR` the command was given, kept so that the package is read from the same directory.
    func goRun(_ package: Argument?, latest: Bool, chdir: [String]) -> String {
        let run = (["go", "run"] + chdir).joined(separator: " ")
        guard let package else { return run + " ." }
        var text = package.text
        if latest, !text.contains("@") { text += "@latest" }
        return run + " " + Quoting.argument(Argument(text, isDynamic: package.isDynamic, span: package.span))
    }

    // MARK: The go env file

    /// A Go setting as go reads it: the environment variable when it is non-empty, else the user's go
    /// env file. Returns the value and where it came from (for reasons).
    func setting(_ name: String) -> (value: Value, source: String)? {
        if let value = environment[name], !value.text.isEmpty { return (value, name) }
        guard let file = goEnvFile(), let value = Self.readGoEnv(file)[name], !value.isEmpty else { return nil }
        return (Value(value), "\(name) in \(file)")
    }

    /// The user's go env file: `$GOENV` (`off`: none), else `$XDG_CONFIG_HOME/go/env`, else
    /// `~/.config/go/env` (os.UserConfigDir). `nil` when there is none or it is not known.
    func goEnvFile() -> String? {
        if let file = environment["GOENV"], !file.text.isEmpty {
            if file.isDynamic || file.text == "off" { return nil }
            return context.absolutePath(file, relativeTo: invocation.directory)
        }
        if let config = environment["XDG_CONFIG_HOME"], !config.text.isEmpty {
            guard !config.isDynamic, config.text.hasPrefix("/") else { return nil }
            return Paths.normalize(config.text + "/go/env")
        }
        return context.home.map { $0 + "/.config/go/env" }
    }

    /// The `KEY=VALUE` lines of a go env file (cmd/go's initEnvCache); comments and malformed lines are
    /// skipped. Read only for the commands that depend on it.
    static func readGoEnv(_ path: String) -> [String: String] {
        let bytes: [UInt8]?
        do throws(FileIOError) { bytes = try FileIO.readBytesIfPresent(atPath: path) } catch { return [:] }
        guard let bytes else { return [:] }
        var values: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "="), equals != line.startIndex else {
                continue
            }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }

    // MARK: go install

    func install(_ rest: [Argument], directory: String?, chdir: [String]) -> Judgement {
        let flags = Flags(rest, valueFlags: Self.buildValueFlags)
        if flags.asksForHelp { return pass("`go install -h` prints usage") }
        if flags.has("n") { return pass("`go install -n` prints the commands without running them") }
        let fix: String
        if let project = projectRoot(directory) {
            fix = "GOBIN=\(projectPath(project, "bin")) " + asWritten
        } else {
            fix = goRun(flags.operands.first, latest: false, chdir: chdir)
        }
        return judgeInstallDirectory(what: "`go install`", fix: fix, directory: directory)
    }

    /// `go clean -i` removes what `go install` installed: from the same directory.
    func clean(_ rest: [Argument], directory: String?) -> Judgement {
        let flags = Flags(rest, valueFlags: Self.buildValueFlags)
        guard flags.has("i"), !flags.has("n"), !flags.asksForHelp else {
            return pass("`go clean` removes build output")
        }
        let fix =
            projectRoot(directory).map { "GOBIN=\(projectPath($0, "bin")) " + asWritten }
            ?? Quoting.command(invocation.arguments.map(\.text).filter { $0 != "-i" })
        return judgeInstallDirectory(what: "`go clean -i`", fix: fix, directory: directory)
    }

    /// GOBIN, else the first GOPATH entry's bin, else ~/go/bin: inside the project allows.
    func judgeInstallDirectory(what: String, fix: String, directory: String?) -> Judgement {
        if let (gobin, source) = setting("GOBIN") {
            if gobin.isDynamic {
                return finding(
                    Go.installLocation, Reasons.onlyKnownWhenRun("GOBIN=\(gobin.text)"), fix: fix,
                    verdict: .ask)
            }
            guard gobin.text.hasPrefix("/") else {
                return pass("go refuses a relative GOBIN (\(gobin.text)): \(what) installs nothing")
            }
            return judgeLocation(gobin, name: "GOBIN", source: source, what: what, fix: fix, directory: directory)
        }
        if let (gopath, source) = setting("GOPATH") {
            if gopath.isDynamic {
                return finding(
                    Go.installLocation, Reasons.onlyKnownWhenRun("GOPATH=\(gopath.text)"), fix: fix,
                    verdict: .ask)
            }
            let entries = gopath.text.split(separator: ":").map(String.init)
            guard let first = entries.first, entries.allSatisfy({ $0.hasPrefix("/") }) else {
                return pass("go refuses a relative GOPATH entry (\(gopath.text)): nothing runs")
            }
            return judgeLocation(
                Value(first + "/bin"), name: "GOPATH", source: source, what: what, fix: fix, directory: directory)
        }
        let bin = (context.home ?? "~") + "/go/bin"
        return finding(
            Go.install,
            "\(what) writes executables to \(bin), shared by every project: neither GOBIN nor GOPATH is set.",
            fix: fix)
    }

    func judgeLocation(_ value: Value, name: String, source: String, what: String, fix: String, directory: String?)
        -> Judgement
    {
        switch context.location(of: value, from: directory) {
        case .inside(let path, _):
            let setting = name == "GOBIN" ? path : Paths.parent(path)
            return finding(
                Go.localLocation, "\(what) writes to \(path), inside the project.",
                fix: "\(name)=\(Quoting.word(setting)) " + asWritten, verdict: .allow)
        case .outside(let path):
            return finding(
                Go.installLocation, "\(what) writes to \(path) (from \(source)), outside the project.", fix: fix)
        case .unresolvable(let text):
            return finding(
                Go.installLocation, Reasons.onlyKnownWhenRun("\(source) (\(text))"), fix: fix, verdict: .ask
            )
        }
    }

    // MARK: go get

    func get(_ rest: [Argument], directory: String?, chdir: [String]) -> Judgement {
        let flags = Flags(rest, valueFlags: Self.buildValueFlags)
        if flags.asksForHelp { return pass("`go get -h` prints usage") }
        let moduleRoot = directory.flatMap { context.nearestAncestor(of: $0, holding: "go.mod") }
        let mode = setting("GO111MODULE")?.value
        if let mode, mode.isDynamic {
            return finding(
                Go.getGopath,
                "GO111MODULE=\(mode.text) is only known when the line runs: `go get` may run in "
                    + "GOPATH mode.", fix: getFix(flags, directory: directory, moduleRoot: moduleRoot, chdir: chdir),
                verdict: .ask)
        }
        // Go ≥1.16: "on" or unset is module mode; "auto" is module mode inside a module; "off" is GOPATH mode.
        let gopathMode = mode?.text == "off"
        if !gopathMode, directory == nil {
            return finding(
                Go.getGopath,
                "`go get` runs in a directory only known when the line runs: whether it is inside a module (and "
                    + "`go get` only edits go.mod) or runs in GOPATH mode cannot be known.",
                fix: getFix(flags, directory: directory, moduleRoot: moduleRoot, chdir: chdir), verdict: .ask)
        }
        if !gopathMode, moduleRoot == nil, let directory, !context.files.isDirectory(directory) {
            // `git clone … && cd repo && go get ./...`: the directory is made by an earlier part of the line, and
            // whether it holds a go.mod is not known.
            return finding(
                Go.getGopath,
                "`go get` runs in \(directory), which does not exist before the line runs: whether it holds a module "
                    + "cannot be known.",
                fix: getFix(flags, directory: directory, moduleRoot: moduleRoot, chdir: chdir),
                verdict: .ask)
        }
        if !gopathMode, let moduleRoot {
            return finding(
                Go.moduleCommand,
                "`go get` in the module at \(moduleRoot) only edits its go.mod and go.sum and "
                    + "fills the module cache.", verdict: .allow)
        }
        let why =
            gopathMode
            ? "GO111MODULE=off makes `go get` run in GOPATH mode"
            : "there is no go.mod here or above, so `go get` runs outside a module (GOPATH mode before Go 1.18)"
        let fix = getFix(flags, directory: directory, moduleRoot: moduleRoot, chdir: chdir)
        // GOPATH mode writes the first GOPATH entry (src, pkg, bin) and GOBIN: the project's only if both are.
        var locations: [(String, Value)] = []
        if let (gopath, _) = setting("GOPATH") {
            let first = gopath.text.split(separator: ":").first.map(String.init) ?? gopath.text
            locations.append(("GOPATH", Value(first, isDynamic: gopath.isDynamic)))
        }
        if let (gobin, _) = setting("GOBIN") { locations.append(("GOBIN", gobin)) }
        guard locations.first?.0 == "GOPATH" else {
            let gopath = (context.home ?? "~") + "/go"
            return finding(
                Go.getGopath, "\(why): it writes \(gopath)/src and \(gopath)/bin, shared by every project.",
                fix: fix)
        }
        var inside: [String] = []
        for (name, value) in locations {
            switch context.location(of: value, from: directory) {
            case .inside(let path, _): inside.append("\(name)=\(path)")
            case .outside(let path):
                return finding(Go.getGopath, "\(why): it writes \(path) (\(name)), outside the project.", fix: fix)
            case .unresolvable(let text):
                return finding(
                    Go.getGopath, "\(why): it writes \(name)=\(text), only known when the line runs.", fix: fix,
                    verdict: .ask)
            }
        }
        let setting = ((gopathMode ? ["GO111MODULE=off"] : []) + inside).map { Quoting.word($0) }.joined(separator: " ")
        return finding(
            Go.localLocation, "\(why), into \(inside.joined(separator: " and ")), inside the project.",
            fix: "\(setting) " + asWritten, verdict: .allow)
    }

    /// The module-mode way: `go get` in the project's module, made first when there is none; with no
    /// project at all, running the tool instead of installing it.
    func getFix(_ flags: Flags, directory: String?, moduleRoot: String?, chdir: [String]) -> String {
        let modulePrefix = setting("GO111MODULE")?.value.text == "off" ? "GO111MODULE=on " : ""
        if moduleRoot != nil { return modulePrefix + asWritten }
        guard let project = projectRoot(directory) else {
            // No project: make this directory a module (or, in home, a new directory), so `go get` edits it.
            if let directory, directory != context.home {
                return moduleInit(directory) + " && " + modulePrefix + asWritten
            }
            return "mkdir -p goproject && cd goproject && go mod init goproject && " + modulePrefix + asWritten
        }
        return moduleInit(project) + " && " + modulePrefix + asWritten
    }

    /// A module name made from a directory's name.
    func moduleName(_ directory: String) -> String {
        let base = Paths.basename(directory)
        let name = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
        return name.isEmpty || name.allSatisfy({ $0 == "-" || $0 == "." }) ? "project" : name
    }

    /// `go mod init NAME` at the project root, from the directory the shell is in.
    func moduleInit(_ project: String) -> String {
        let name = moduleName(project)
        guard let shell = invocation.directory, shell != project else { return "go mod init \(name)" }
        let place = Paths.relative(project, from: shell)
        return "go -C \(Quoting.word(place)) mod init \(name)"
    }

    // MARK: go build

    func build(_ rest: [Argument], directory: String?) -> Judgement {
        let flags = Flags(rest, valueFlags: Self.buildValueFlags)
        if flags.asksForHelp { return pass("`go build -h` prints usage") }
        if flags.has("n") { return pass("`go build -n` prints the commands without running them") }
        guard let output = flags.value("o"), let value = output.value else {
            guard directory.flatMap({ context.nearestAncestor(of: $0, holding: "go.mod") }) != nil else {
                return pass("`go build` outside a module")
            }
            return finding(
                Go.moduleCommand, "`go build` builds the module and writes its output in the project.",
                verdict: .allow)
        }
        if value.text == "/dev/null" { return pass("`go build -o /dev/null` only compiles: the output is discarded") }
        let fix = buildFix(output, directory: directory)
        switch context.location(of: value.value, from: directory) {
        case .inside(let path, _):
            return finding(Go.localLocation, "`go build -o` writes \(path), inside the project.", verdict: .allow)
        case .outside(let path):
            // Only an executable written where commands are found is installed; `/tmp/app` is an artifact.
            guard context.isCommandLocation(path, environment: invocation.environment) else {
                return pass(
                    "`go build -o \(path)` writes a build artifact outside the project, not where commands are found")
            }
            return finding(
                Go.buildOutput, "`go build -o` installs the executable at \(path), where commands are found.",
                fix: fix)
        case .unresolvable(let text):
            return finding(
                Go.buildOutput, "`go build -o \(text)` writes to a place only known when the line runs.", fix: fix,
                verdict: .ask)
        }
    }

    /// The same build with `-o` in the project's `bin/` (or no `-o`, where there is no project).
    func buildFix(_ output: Flags.Found, directory: String?) -> String {
        guard let value = output.value else { return asWritten }
        var replacement: String?
        if let directory, let project = projectRoot(directory) {
            let isDirectory = value.text.hasSuffix("/")
            let name = isDirectory ? "" : "/" + Paths.basename(value.text)
            replacement = Paths.relative(project + "/bin" + name, from: directory) + (isDirectory ? "/" : "")
        }
        var words = [Quoting.argument(invocation.arguments[0])]
        for argument in invocation.operands {
            if argument == output.written {
                guard let replacement else { continue }
                if let equals = argument.text.firstIndex(of: "=") {
                    words.append(Quoting.word(String(argument.text[...equals]) + replacement))
                } else {
                    words.append(Quoting.argument(argument))
                }
            } else if argument == value {
                if let replacement { words.append(Quoting.word(replacement)) }
            } else {
                words.append(Quoting.argument(argument))
            }
        }
        return words.joined(separator: " ")
    }

    // MARK: go env -w

    func env(_ rest: [Argument], directory: String?) -> Judgement {
        let flags = Flags(rest, valueFlags: [])
        if flags.asksForHelp { return pass("`go env -h` prints usage") }
        guard flags.has("w") else { return pass("`go env` without -w changes no setting") }
        if let file = environment["GOENV"], !file.text.isEmpty {
            if file.text == "off" { return pass("with GOENV=off, `go env -w` refuses to write") }
            switch context.location(of: file, from: invocation.directory) {
            case .inside(let path, _):
                var judgement = finding(
                    Go.localLocation,
                    "GOENV is \(path), inside the project: `go env -w` writes the project's "
                        + "own Go config file.", fix: "GOENV=\(Quoting.word(path)) " + asWritten, verdict: .allow)
                judgement.effects = envWriteEffects(flags.operands)
                return judgement
            case .unresolvable(let text):
                return finding(
                    Go.envWrite, "`go env -w` writes GOENV=\(text), only known when the line runs.", verdict: .ask)
            case .outside:
                break
            }
        }
        var findings: [Finding] = []
        var replacements: [Argument: String?] = [:]
        let project = projectRoot(directory)
        for operand in flags.operands {
            guard let equals = operand.text.firstIndex(of: "=") else { continue }
            let key = String(operand.text[..<equals])
            let text = String(operand.text[operand.text.index(after: equals)...])
            let value = Value(text, isDynamic: operand.isDynamic)
            switch key {
            case "GOBIN", "GOPATH":
                // An empty value unsets it; go refuses a relative GOPATH, and installs refuse a relative GOBIN.
                if text.isEmpty { continue }
                let first = key == "GOPATH" ? String(text.split(separator: ":").first ?? "") : text
                if !operand.isDynamic, !first.hasPrefix("/") { continue }
                replacements[operand] =
                    "\(key)="
                    + (project.map { projectPath($0, key == "GOBIN" ? "bin" : ".gopath") }
                        ?? (key == "GOBIN" ? "$PWD/bin" : "$PWD/.gopath"))
                switch context.location(of: Value(first, isDynamic: operand.isDynamic), from: directory) {
                case .inside(let path, _):
                    findings.append(
                        module.finding(
                            Go.localLocation, invocation, reason: "\(key)=\(path) is inside the project.",
                            verdict: .allow))
                case .outside(let path):
                    findings.append(
                        module.finding(
                            Go.envWrite, invocation,
                            reason: "`go env -w \(key)=\(path)` writes the user-wide Go config: every later "
                                + "`go install` goes outside the project.", fix: ""))
                case .unresolvable(let shown):
                    findings.append(
                        module.finding(
                            Go.envWrite, invocation,
                            reason: "`go env -w \(key)=\(shown)` writes a place only known when the line runs into the "
                                + "user-wide Go config.", fix: "", verdict: .ask))
                }
            case "GO111MODULE" where value.isDynamic || text == "off":
                // GOPATH mode in the config file, where toolguard cannot see it, sends later `go get`s to GOPATH.
                replacements[operand] = .some(nil)
                findings.append(
                    module.finding(
                        Go.envWrite, invocation,
                        reason: "`go env -w GO111MODULE=\(text)` makes every later `go get` run in GOPATH mode, "
                            + "writing $GOPATH/src and bin.", fix: "", verdict: value.isDynamic ? .ask : nil))
            default:
                continue
            }
        }
        let effects = envWriteEffects(flags.operands)
        guard findings.contains(where: { $0.verdict > .allow }) else {
            var judgement = Judgement(findings: findings)
            judgement.effects = effects
            return judgement
        }
        let fix = envFix(replacements, project: project, directory: directory)
        var judgement = Judgement(
            findings: findings.map { finding in
                guard finding.verdict > .allow else { return finding }
                var fixed = finding
                fixed.fix = fix
                return fixed
            })
        judgement.effects = effects
        return judgement
    }

    /// What `go env -w` means for the rest of the line: every later go command reads the settings it
    /// wrote. They are modelled as variables, which go reads before the file — a variable already set
    /// keeps winning over the file (go only warns), so it is left alone.
    func envWriteEffects(_ operands: [Argument]) -> [Effect] {
        var effects: [Effect] = []
        for operand in operands {
            guard let equals = operand.text.firstIndex(of: "=") else { continue }
            let key = String(operand.text[..<equals])
            let text = String(operand.text[operand.text.index(after: equals)...])
            guard ["GOBIN", "GOPATH", "GO111MODULE"].contains(key), !text.isEmpty else { continue }
            if let current = environment[key], !current.text.isEmpty { continue }
            // go refuses relative GOBIN and GOPATH entries.
            if key != "GO111MODULE", !operand.isDynamic, !text.hasPrefix("/") { return [] }
            effects.append(.setVariable(key, Value(text, isDynamic: operand.isDynamic), exported: true))
        }
        return effects
    }

    /// The same `go env -w` with install locations in the project (a module made first where there is
    /// none) and GO111MODULE=off left out.
    func envFix(_ replacements: [Argument: String?], project: String?, directory: String?) -> String {
        var words = [Quoting.argument(invocation.arguments[0])]
        var operands = 0
        for argument in invocation.operands {
            if let replacement = replacements[argument] {
                guard let replacement else { continue }
                // Written unquoted: `$PWD` expands before go stores it.
                words.append(replacement)
            } else {
                words.append(Quoting.argument(argument))
            }
            if argument.text.contains("=") { operands += 1 }
        }
        let command = operands == 0 ? "go env -u GO111MODULE" : words.joined(separator: " ")
        if project != nil || operands == 0 { return command }
        let tools = directory.map { ($0 == "/" ? "" : $0) + "/tools" }
        if let tools, context.files.exists(tools + "/go.mod") { return "cd tools && " + command }
        return "mkdir -p tools && cd tools && go mod init tools && " + command
    }

    // MARK: go mod, go work

    func moduleCommand(_ command: String, rest: [Argument], directory: String?) -> Judgement {
        guard let sub = rest.first, !sub.text.hasPrefix("-") else {
            return pass("`go \(command)` prints usage")
        }
        if sub.text == "help" { return pass("`go \(command) help` prints usage") }
        var judgement = finding(
            Go.moduleCommand,
            "`go \(command) \(sub.text)` works on the project's module files and the shared "
                + "module cache.", verdict: .allow)
        if sub.text == "init", let directory {
            judgement.effects = [.creates(path: directory + (command == "mod" ? "/go.mod" : "/go.work"))]
        }
        return judgement
    }
}
