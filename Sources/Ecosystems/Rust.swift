public import GuardKit

/// Rust: cargo (`install`/`uninstall` and the project commands), the binary installers that work like
/// `cargo install` (cargo-binstall, cargo-update's `install-update`, cargo-quickinstall) and rustup.
///
/// Binaries installed by cargo go to an install root, chosen in this order: `--root`,
/// `CARGO_INSTALL_ROOT`, `install.root` from `--config`, `CARGO_HOME`, `~/.cargo`. A root inside the
/// project is the project's; anything else is shared by every project. rustup's toolchains live in
/// `RUSTUP_HOME` (`~/.rustup`), which every project uses unless it points into the project.
public struct Rust: Ecosystem {
    public let id = "rust"
    public let summary = "cargo, cargo-binstall and rustup: binaries go into a project-local install root."
    public let programs = ["cargo", "cargo-binstall", "cargo-install-update", "cargo-quickinstall", "rustup"]
    public let projectMarkers = ["Cargo.toml"]

    /// Creates the module.
    public init() {}

    /// cargo's and rustup's install verbs.
    public let operationWords: Set<String> = ["install", "uninstall", "add", "remove", "update"]
    /// Cargo's default install root's bin: `$CARGO_HOME/bin`, with CARGO_HOME defaulting to `~/.cargo`.
    public let userBinDirectories = [".cargo/bin"]

    /// Every rule the module can fire.
    public let rules = [
        Rust.cargoInstall, Rust.installLocation, Rust.binstall, Rust.installUpdate, Rust.quickinstall, Rust.rustup,
        Rust.localLocation, Rust.projectCommand,
    ]

    /// `rust.cargo-install`.
    public static let cargoInstall = Rule(
        id: "rust.cargo-install", verdict: .block,
        summary: "`cargo install`/`uninstall` with no install root set changes ~/.cargo/bin, shared by every project.")

    /// `rust.install-location`.
    public static let installLocation = Rule(
        id: "rust.install-location", verdict: .block, summary: "The install root that applies is outside the project.")

    /// `rust.binstall`.
    public static let binstall = Rule(
        id: "rust.binstall", verdict: .block,
        summary: "`cargo binstall` with no install root set puts binaries into ~/.cargo/bin, shared by every project.")

    /// `rust.install-update`.
    public static let installUpdate = Rule(
        id: "rust.install-update", verdict: .block,
        summary:
            "`cargo install-update` with no cargo dir set updates or reinstalls the crates in ~/.cargo/bin, shared "
            + "by every project.")

    /// `rust.quickinstall`.
    public static let quickinstall = Rule(
        id: "rust.quickinstall", verdict: .block,
        summary:
            "`cargo quickinstall` puts prebuilt binaries into $CARGO_HOME/bin (~/.cargo/bin), shared by every project.")

    /// `rust.rustup`.
    public static let rustup = Rule(
        id: "rust.rustup", verdict: .block,
        summary:
            "rustup replaces or removes itself, which every project uses (its toolchains are versions, which pass).")

    /// `rust.local-location`.
    public static let localLocation = Rule(
        id: "rust.local-location", verdict: .allow, summary: "The install root (or RUSTUP_HOME) is inside the project.")

    /// `rust.project-command`.
    public static let projectCommand = Rule(
        id: "rust.project-command", verdict: .allow,
        summary: "cargo works on the project: its manifest, Cargo.lock and target/, with crates in the shared cache.")

    /// Patterns that are global in every context: under sudo an install is never project-local, and
    /// rustup has no project-local copy of itself. Bare `cargo install *` is not one: with `--root` or
    /// `CARGO_INSTALL_ROOT` inside the project it is allowed.
    public let denyPatterns = [
        "Bash(sudo cargo install *)", "Bash(sudo cargo binstall *)", "Bash(sudo cargo-binstall *)",
        "Bash(rustup self update*)", "Bash(rustup self uninstall*)",
    ]

    public func judge(_ invocation: Invocation, in context: JudgementContext) -> Judgement {
        let reader = RustCommand(module: self, invocation: invocation, context: context)
        switch invocation.program {
        case "cargo": return reader.cargo()
        case "cargo-binstall": return reader.binstallProgram()
        case "cargo-install-update": return reader.externalProgram("install-update")
        case "cargo-quickinstall": return reader.externalProgram("quickinstall")
        case "rustup": return reader.rustup()
        default: return Judgement()
        }
    }
}

// MARK: - Reading one command

/// One cargo, cargo-binstall or rustup command being read.
struct RustCommand {
    let module: Rust
    let invocation: Invocation
    let context: JudgementContext

    var environment: Environment { invocation.environment }

    /// The command as written, for fixes that keep it whole.
    var asWritten: String { invocation.arguments.map(Quoting.argument).joined(separator: " ") }

    func pass(_ note: String) -> Judgement { Judgement(findings: [], notes: [note]) }

    // MARK: cargo's grammar (clap: no abbreviations)

    /// Options cargo accepts before and after the subcommand (clap `global = true`).
    static let cargoGlobal: [OptionGrammar.Option] = [
        .init("-v", "--verbose"), .init("-q", "--quiet"), .init("--color", value: true),
        .init("--config", value: true), .init("-Z", value: true), .init("--locked"), .init("--offline"),
        .init("--frozen"), .init("-h", "--help"),
    ]

    /// `cargo [+toolchain] [OPTIONS] COMMAND`: `-V`, `--list`, `--explain` and `-C` only come first.
    static let cargoTop = OptionGrammar(
        cargoGlobal + [
            .init("-V", "--version"), .init("--list"), .init("--explain", value: true), .init("-C", value: true),
        ], stopsAtFirstOperand: true)

    static let cargoInstall = OptionGrammar(
        cargoGlobal + [
            .init("--vers", "--version", value: true), .init("--index", value: true), .init("--registry", value: true),
            .init("--git", value: true), .init("--branch", value: true), .init("--tag", value: true),
            .init("--rev", value: true), .init("--path", value: true), .init("--root", value: true),
            .init("-f", "--force"), .init("--no-track"), .init("--list"), .init("--ignore-rust-version"),
            .init("--message-format", value: true), .init("-F", "--features", value: true), .init("--all-features"),
            .init("--no-default-features"), .init("-j", "--jobs", value: true), .init("--keep-going"),
            .init("--profile", value: true), .init("--debug"), .init("--target", value: true),
            .init("--target-dir", value: true), .init("--timings"), .init("--bin", value: true), .init("--bins"),
            .init("--example", value: true), .init("--examples"), .init("--dry-run"),
            .init("--lockfile-path", value: true),
        ])

    static let cargoUninstall = OptionGrammar(
        cargoGlobal + [
            .init("-p", "--package", value: true), .init("--bin", value: true), .init("--root", value: true),
        ])

    static let cargoNew = OptionGrammar(
        cargoGlobal + [
            .init("--vcs", value: true), .init("--bin"), .init("--lib"), .init("--edition", value: true),
            .init("--name", value: true), .init("--registry", value: true),
        ])

    /// cargo-binstall's options (clap); `--version` is the crate's version, `-V` prints binstall's.
    static let binstall = OptionGrammar([
        .init("-h", "--help"), .init("-V"), .init("--version", value: true), .init("--targets", value: true),
        .init("--pkg-url", value: true), .init("--pkg-fmt", value: true), .init("--bin-dir", value: true),
        .init("--manifest-path", value: true), .init("--git", value: true), .init("--rate-limit", value: true),
        .init("--strategies", value: true), .init("--disable-strategies", value: true),
        .init("--maximum-resolution-timeout", value: true), .init("--install-path", value: true),
        .init("--root", value: true), .init("--index", value: true), .init("--registry", value: true),
        .init("--github-token", value: true), .init("--log-level", value: true), .init("--settings", value: true),
        .init("--min-tls-version", value: true), .init("--root-certificates", value: true), .init("--json-output"),
        .init("--only-signed"), .init("--skip-signatures"), .init("-y", "--no-confirm"), .init("--no-cleanup"),
        .init("--no-track"), .init("--force"), .init("--locked"), .init("--dry-run"), .init("--disable-telemetry"),
        .init("--continue-on-failure"), .init("--no-symlinks"), .init("--no-discover-github-token"),
        .init("-v", "--verbose"), .init("-q", "--quiet"), .init("--self-install"),
    ])

    /// cargo's built-in aliases.
    static let aliases = ["b": "build", "c": "check", "d": "doc", "r": "run", "t": "test", "rm": "remove"]

    /// Commands that work on the project: its manifest, Cargo.lock, target/ and the registry cache.
    static let projectCommands: Set<String> = [
        "build", "check", "test", "run", "bench", "doc", "add", "remove", "fetch", "update", "generate-lockfile",
        "vendor", "fix", "clippy",
    ]

    // MARK: cargo

    func cargo() -> Judgement {
        var arguments = invocation.operands
        // `+toolchain` is the rustup proxy's toolchain override; it is only read as argv[1].
        if let first = arguments.first, !first.isDynamic, first.text.hasPrefix("+") {
            arguments = arguments.dropFirst()
        }
        let top = Self.cargoTop.parse(arguments)
        if top.has("--help") || top.has("--version") || top.has("--list") || top.has("--explain") {
            return pass("cargo prints information and exits")
        }
        guard let command = top.remainder.first else { return Judgement() }
        if command.isDynamic {
            return Judgement(findings: [
                module.finding(
                    Rust.cargoInstall, invocation,
                    reason: Reasons.dynamicCommand(of: "cargo", command.text, noun: "subcommand"), verdict: .ask)
            ])
        }
        // `-C DIR` (nightly) changes the directory before anything, relative paths included.
        let directory =
            top.value("-C").map { context.absolutePath($0.value, relativeTo: invocation.directory) }
            ?? invocation.directory
        let name = Self.aliases[command.text] ?? command.text
        let rest = top.remainder.dropFirst()
        switch name {
        case "install", "uninstall":
            return cargoInstall(name, command: command, top: top, rest: rest, directory: directory)
        case "binstall":
            return binstall(rest, after: command, directory: directory)
        case "install-update":
            return installUpdate(rest, after: command, directory: directory)
        case "quickinstall":
            return quickinstall(rest, directory: directory)
        case "new", "init":
            return createProject(name, rest: rest, directory: directory)
        case _ where Self.projectCommands.contains(name):
            return projectCommand(name, rest: rest, directory: directory)
        default:
            return pass("`cargo \(name)` installs nothing (user aliases and external `cargo-*` commands are not read)")
        }
    }

    func cargoInstall(
        _ name: String, command: Argument, top: ParsedOptions, rest: ArraySlice<Argument>, directory: String?
    ) -> Judgement {
        let parsed = (name == "install" ? Self.cargoInstall : Self.cargoUninstall).parse(rest)
        if parsed.has("--help") { return pass("`cargo \(name) --help` prints usage") }
        if name == "install", parsed.has("--list") {
            return pass("`cargo install --list` only reads the root's list of installed crates")
        }
        if name == "install", parsed.has("--dry-run") { return pass("`--dry-run` installs nothing") }

        // Everything that names the root is replaced by `--root` in the fix.
        let rootConfigs = (top.found + parsed.found).filter { found in
            found.name == "--config" && found.value.flatMap(Self.installRoot(fromConfig:)) != nil
        }
        let roots = parsed.found.filter { $0.name == "--root" }
        let dropped = Self.writtenArguments(of: roots + rootConfigs)
        // `--path DIR` names the crate: a root in the project holding it is that project's, and a fix keeps
        // that crate rather than making a new project.
        let crate =
            name == "install"
            ? parsed.value("--path").flatMap { path -> String? in
                guard let crate = context.absolutePath(path.value, relativeTo: directory),
                    context.files.exists(crate + "/Cargo.toml")
                else { return nil }
                return crate
            } : nil
        // With --path, cargo reads the crate's own config (`DIR/.cargo/config.toml` and up) for install.root.
        let root = installRoot(
            flag: parsed.value("--root"),
            config: rootConfigs.last?.value.flatMap(Self.installRoot(fromConfig:))
                ?? crate.flatMap(configuredInstallRoot(from:)))
        let crateProject = crate.flatMap { context.projectRoot(of: $0) }
        return judge(
            root, what: "`cargo \(name)`", defaultRule: Rust.cargoInstall,
            fix: { path in
                if path == nil, let directory, context.projectRoot(of: directory) == nil, let crate {
                    guard let crateProject else {
                        // No project can hold it (the home directory): build it where it is instead.
                        return "cargo build --release --manifest-path "
                            + Quoting.word(Paths.relative(crate + "/Cargo.toml", from: directory))
                    }
                    return rootFix(
                        after: command, option: "--root", dropping: dropped, directory: directory,
                        root: Paths.relative(crateProject + "/.tools", from: directory))
                }
                return rootFix(after: command, option: "--root", dropping: dropped, directory: directory, root: path)
            },
            directory: directory, alsoInside: crateProject)
    }

    /// `cargo-install-update …` or `cargo-quickinstall …` run directly; as cargo's external subcommand it
    /// sees its own name as the first argument.
    func externalProgram(_ name: String) -> Judgement {
        var arguments = invocation.operands
        var commandWord: Argument?
        if let first = arguments.first, first.text == name {
            commandWord = first
            arguments = arguments.dropFirst()
        }
        if name == "quickinstall" { return quickinstall(arguments, directory: invocation.directory) }
        return installUpdate(arguments, after: commandWord, directory: invocation.directory)
    }

    /// cargo-update's options: `-c/--cargo-dir` is where it reads the installed crates and reinstalls them
    /// (`cargo install --root DIR`).
    static let installUpdateOptions = OptionGrammar([
        .init("-h", "--help"), .init("-V", "--version"), .init("-a", "--all"), .init("-l", "--list"),
        .init("-f", "--force"), .init("-d", "--downdate"), .init("-i", "--allow-no-update"), .init("-g", "--git"),
        .init("-q", "--quiet"), .init("--locked"), .init("-s", "--filter", value: true),
        .init("-r", "--install-cargo", value: true), .init("-c", "--cargo-dir", value: true),
        .init("-t", "--temp-dir", value: true), .init("-j", "--jobs", value: true),
    ])

    /// `cargo install-update [-a] [PACKAGE…]`: its cargo dir is `--cargo-dir`, else CARGO_INSTALL_ROOT,
    /// else CARGO_HOME, else ~/.cargo.
    func installUpdate(_ arguments: ArraySlice<Argument>, after commandWord: Argument?, directory: String?)
        -> Judgement
    {
        let parsed = Self.installUpdateOptions.parse(arguments)
        if parsed.has("--help") || parsed.has("--version") { return pass("cargo-update prints information") }
        if parsed.has("--list") { return pass("`cargo install-update --list` only lists the installed crates") }
        if !parsed.has("--all"), parsed.operands.isEmpty {
            return pass("`cargo install-update` without -a or a package updates nothing")
        }
        let dropped = Self.writtenArguments(of: parsed.found.filter { $0.name == "--cargo-dir" })
        let root =
            parsed.value("--cargo-dir").map { InstallRoot.explicit("--cargo-dir", $0.value) }
            ?? installRoot(flag: nil, config: nil)
        return judge(
            root, what: "`cargo install-update`", defaultRule: Rust.installUpdate,
            fix: {
                rootFix(after: commandWord, option: "--cargo-dir", dropping: dropped, directory: directory, root: $0)
            },
            directory: directory)
    }

    static let quickinstallOptions = OptionGrammar([
        .init("-h", "--help"), .init("-V", "--print-version"), .init("--version", value: true),
        .init("--target", value: true), .init("--try-upstream"), .init("--no-fallback"), .init("--force"),
        .init("--no-binstall"), .init("--dry-run"),
    ])

    /// `cargo quickinstall [OPTIONS] CRATE…`: prebuilt binaries into CARGO_HOME/bin. It has no root of its
    /// own; it runs cargo-binstall when it can, which honours CARGO_INSTALL_ROOT first, so that must be the
    /// project's too. The fix is cargo-binstall with a project root: the same prebuilt binary.
    func quickinstall(_ arguments: ArraySlice<Argument>, directory: String?) -> Judgement {
        let parsed = Self.quickinstallOptions.parse(arguments)
        if parsed.has("--help") || parsed.has("--print-version") {
            return pass("cargo-quickinstall prints information")
        }
        if parsed.has("--dry-run") { return pass("`--dry-run` prints the download command and installs nothing") }
        let crates = parsed.operands.filter { $0.text != "--" }
        guard !crates.isEmpty else { return pass("`cargo quickinstall` without a crate installs nothing") }
        var words = crates.map(Quoting.argument)
        if crates.count == 1, let version = parsed.value("--version") {
            words = [
                Quoting.argument(
                    Argument(
                        crates[0].text + "@" + version.text,
                        isDynamic: crates[0].isDynamic
                            || version.isDynamic, span: crates[0].span))
            ]
        }
        if let target = parsed.value("--target") { words = ["--targets", Quoting.argument(target)] + words }
        let fix: (String?) -> String = { path in
            var prefix = ""
            let rootText: String
            if let path {
                rootText = path
            } else if let directory, let project = context.projectRoot(of: directory) {
                rootText = Paths.relative(project + "/.tools", from: directory)
            } else {
                prefix = newProjectPrefix(directory)
                rootText = "./.tools"
            }
            return prefix + (["cargo", "binstall", "--root", Quoting.word(rootText)] + words).joined(separator: " ")
        }
        let home = environment["CARGO_HOME"].flatMap { $0.text.isEmpty ? nil : $0 }
        if let installRoot = environment["CARGO_INSTALL_ROOT"], !installRoot.text.isEmpty {
            let judged = judge(
                .explicit("CARGO_INSTALL_ROOT", installRoot), what: "`cargo quickinstall` (through cargo-binstall)",
                defaultRule: Rust.quickinstall, fix: fix, directory: directory)
            if judged.findings.contains(where: { $0.verdict > .allow }) { return judged }
        }
        return judge(
            home.map { .explicit("CARGO_HOME", $0) } ?? .defaultHome, what: "`cargo quickinstall`",
            defaultRule: Rust.quickinstall, fix: fix, directory: directory)
    }

    /// `cargo binstall …` (after the `binstall` word) or `cargo-binstall …`.
    func binstallProgram() -> Judgement {
        var arguments = invocation.operands
        var commandWord: Argument?
        // Run as cargo's external subcommand, cargo-binstall sees `binstall` as its first argument.
        if let first = arguments.first, first.text == "binstall" {
            commandWord = first
            arguments = arguments.dropFirst()
        }
        return binstall(arguments, after: commandWord, directory: invocation.directory)
    }

    func binstall(_ arguments: ArraySlice<Argument>, after commandWord: Argument?, directory: String?) -> Judgement {
        let parsed = Self.binstall.parse(arguments)
        if parsed.has("--help") || parsed.has("-V") { return pass("cargo-binstall prints information and exits") }
        if parsed.has("--dry-run") { return pass("`--dry-run` resolves the crate but installs nothing") }
        let dropped = Self.writtenArguments(
            of: parsed.found.filter { $0.name == "--root" || $0.name == "--install-path" })
        // `--install-path` is the bin directory itself and wins over every root.
        let installPath = parsed.value("--install-path")
        let root: InstallRoot =
            installPath.map { .explicit("--install-path", $0.value) }
            ?? installRoot(flag: parsed.value("--root"), config: nil)
        return judge(
            root, what: "`cargo binstall`", defaultRule: Rust.binstall,
            fix: { path in
                // An allowed `--install-path` stays one; a fix otherwise names a project root.
                let option = path != nil && installPath != nil ? "--install-path" : "--root"
                return rootFix(after: commandWord, option: option, dropping: dropped, directory: directory, root: path)
            },
            directory: directory)
    }

    // MARK: The install root

    /// Where `cargo install` puts binaries (`ROOT/bin`) and its list of installed crates.
    enum InstallRoot {
        /// Set explicitly: by what (`--root`, `CARGO_HOME`, …) and to what.
        case explicit(String, Value)
        /// Nothing set: `~/.cargo`.
        case defaultHome
    }

    /// cargo's precedence: `--root` > `CARGO_INSTALL_ROOT` > `install.root` > `CARGO_HOME` > `~/.cargo`.
    func installRoot(flag: Argument?, config: Value?) -> InstallRoot {
        if let flag { return .explicit("--root", flag.value) }
        // An empty variable counts as unset.
        if let value = environment["CARGO_INSTALL_ROOT"], !value.text.isEmpty {
            return .explicit("CARGO_INSTALL_ROOT", value)
        }
        if let config { return .explicit("--config install.root=", config) }
        if let value = environment["CARGO_HOME"], !value.text.isEmpty { return .explicit("CARGO_HOME", value) }
        return .defaultHome
    }

    /// `install.root` from the cargo config files cargo reads for `install --path DIR`: `.cargo/config.toml`
    /// (or `.cargo/config`) in DIR and its ancestors, nearest first. A relative root is relative to the
    /// directory holding `.cargo`.
    func configuredInstallRoot(from crate: String) -> Value? {
        var directory = crate
        while true {
            for name in [".cargo/config.toml", ".cargo/config"] {
                guard let bytes = context.files.contents(of: directory + "/" + name),
                    let root = Self.installRoot(inConfigFile: String(decoding: bytes, as: UTF8.self))
                else { continue }
                return Value(root.hasPrefix("/") ? root : Paths.absolute(root, relativeTo: directory))
            }
            if directory == "/" || directory == context.home { return nil }
            directory = Paths.parent(directory)
        }
    }

    /// `root = "…"` in an `[install]` table, or `install.root = "…"` at the top: the two shapes cargo's
    /// documentation uses.
    static func installRoot(inConfigFile text: String) -> String? {
        var table = ""
        for rawLine in text.split(separator: "\n") {
            let line = trimmed(rawLine)
            if line.hasPrefix("[") {
                table = String(trimmed(line.dropFirst().prefix { $0 != "]" }))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = trimmed(line[..<equals])
            guard (table == "install" && key == "root") || (table.isEmpty && key == "install.root") else { continue }
            let value = trimmed(line[line.index(after: equals)...])
            guard let quote = value.first, quote == "\"" || quote == "'", value.count >= 2, value.last == quote else {
                return nil
            }
            return String(value.dropFirst().dropLast())
        }
        return nil
    }

    static func trimmed(_ text: Substring) -> Substring {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !blank($0) }), let last = text.lastIndex(where: { !blank($0) })
        else { return "" }
        return text[first...last]
    }

    /// The value `--config ARG` gives `install.root`, if it sets it: a TOML dotted key and string
    /// (`install.root="./.tools"`, `'install.root = '"'"'x'"'"''`). A config file path is not read; a word
    /// only known when the line runs may set it to anything.
    static func installRoot(fromConfig argument: Argument) -> Value? {
        let text = argument.text
        guard let equals = text.firstIndex(of: "=") else {
            return argument.isDynamic ? Value(text, isDynamic: true) : nil
        }
        let key = text[..<equals]
        if argument.isDynamic, key.contains("$") { return Value(text, isDynamic: true) }
        let parts = key.split(separator: ".", omittingEmptySubsequences: false).map { part -> String in
            let trimmed = part.trimmingSpaces
            if trimmed.count >= 2, let first = trimmed.first, first == trimmed.last, first == "\"" || first == "'" {
                return String(trimmed.dropFirst().dropLast())
            }
            return String(trimmed)
        }
        guard parts == ["install", "root"] else { return nil }
        let raw = text[text.index(after: equals)...].trimmingSpaces
        if argument.isDynamic { return Value(String(raw), isDynamic: true) }
        // A value that is not a TOML string is rejected by cargo's type check; it sets nothing here, so the
        // next source in the precedence decides (the stricter reading).
        return tomlString(raw).map { Value($0) }
    }

    /// A TOML basic (`"…"`, with escapes) or literal (`'…'`) string on one line.
    static func tomlString(_ raw: Substring) -> String? {
        guard raw.count >= 2, let quote = raw.first, quote == raw.last, quote == "\"" || quote == "'",
            !raw.hasPrefix(String(repeating: quote, count: 3))
        else { return nil }
        let inner = raw.dropFirst().dropLast()
        if quote == "'" { return inner.contains("'") ? nil : String(inner) }
        var result = ""
        var characters = inner[...]
        while let character = characters.first {
            characters = characters.dropFirst()
            if character == "\"" { return nil }
            guard character == "\\" else {
                result.append(character)
                continue
            }
            guard let escaped = characters.first else { return nil }
            characters = characters.dropFirst()
            switch escaped {
            case "n": result.append("\n")
            case "t": result.append("\t")
            default: result.append(escaped)
            }
        }
        return result
    }

    /// Judges an install root: inside the project allows, outside blocks, unknown asks.
    /// `alsoInside` is another project whose own root counts as inside (the project holding the crate
    /// `cargo install --path` installs).
    func judge(
        _ root: InstallRoot, what: String, defaultRule: Rule, fix: (String?) -> String, directory: String?,
        alsoInside: String? = nil
    ) -> Judgement {
        switch root {
        case .defaultHome:
            let home = (context.home ?? "~") + "/.cargo"
            return Judgement(findings: [
                module.finding(
                    defaultRule, invocation,
                    reason: "\(what) changes \(home)/bin, shared by every project: no --root, CARGO_INSTALL_ROOT, "
                        + "install.root or CARGO_HOME sets another install root.",
                    fix: fix(nil))
            ])
        case .explicit(let source, let value):
            // `--root X` as written on the command line, `CARGO_HOME=X` for a variable.
            let setting =
                source.hasPrefix("-")
                ? "`\(source)\(source.hasSuffix("=") ? "" : " ")\(value.text)`" : "\(source)=\(value.text)"
            var location = context.location(of: value, from: directory)
            if case .outside(let path) = location, let alsoInside, Paths.isInside(path, alsoInside) {
                location = .inside(path: path, project: alsoInside)
            }
            switch location {
            case .inside(let path, _):
                return Judgement(findings: [
                    module.finding(
                        Rust.localLocation, invocation,
                        reason: "\(setting) makes \(what) use \(path), inside the project.", fix: fix(path),
                        verdict: .allow)
                ])
            case .outside(let path):
                return Judgement(findings: [
                    module.finding(
                        Rust.installLocation, invocation,
                        reason: "\(setting) makes \(what) change \(path), outside the project.", fix: fix(nil))
                ])
            case .unresolvable:
                return Judgement(findings: [
                    module.finding(
                        Rust.installLocation, invocation,
                        reason: "\(setting) is only known when the line runs, so \(what) could change any directory.",
                        fix: fix(nil), verdict: .ask)
                ])
            }
        }
    }

    /// The arguments an option was written in (and its separate value), to leave out of a fix.
    static func writtenArguments(of found: [ParsedOptions.Found]) -> [Argument] {
        var arguments: [Argument] = []
        for option in found {
            arguments.append(option.written)
            if let value = option.value, value != option.written { arguments.append(value) }
        }
        return arguments
    }

    /// The command with `OPTION ROOT` right after `word` (after the program when `nil`) and the options
    /// that chose the root left out. `root` is an absolute path to write (the command as it stays
    /// project-local without sudo), or `nil` for the project's `.tools`.
    func rootFix(after word: Argument?, option: String, dropping dropped: [Argument], directory: String?, root: String?)
        -> String
    {
        var prefix = ""
        let rootText: String
        if let root {
            rootText = root
        } else if let directory, let project = context.projectRoot(of: directory) {
            rootText = Paths.relative(project + "/.tools", from: directory)
        } else {
            prefix = newProjectPrefix(directory)
            rootText = "./.tools"
        }
        var words = [Quoting.argument(invocation.arguments[0])]
        let inserted = [option, Quoting.word(rootText)]
        if word == nil { words += inserted }
        var remaining = ArgumentCounts(dropped)
        var placed = word == nil
        for argument in invocation.operands {
            if remaining.take(argument) { continue }
            words.append(Quoting.argument(argument))
            if !placed, argument == word {
                words += inserted
                placed = true
            }
        }
        return prefix + words.joined(separator: " ")
    }

    /// With no project here, a fix first makes one to hold the tools (`~/tools`), and runs in it: the home
    /// directory itself is never a project.
    func newProjectPrefix(_ directory: String?) -> String {
        let tools = directory.map { ($0 == "/" ? "" : $0) + "/tools" }
        if let tools, context.files.exists(tools + "/Cargo.toml") { return "cd tools && " }
        if let tools, context.files.isDirectory(tools) { return "cargo init tools && cd tools && " }
        // In home, no directory is invented: the fix says plainly that the project-local way needs a project (a
        // comment, so that pasted as written it runs nothing). Elsewhere the project is made right there.
        if let directory, let home = context.home, Paths.isInside(directory, home) {
            return "# no project here, and ~ is shared by every project below it: in the project that needs it"
                + " (cargo init there first if it has none), run: "
        }
        return "cargo new tools && cd tools && "
    }

    // MARK: Project commands

    /// `cargo new PATH` and `cargo init [PATH]` create a project later parts of the line may use.
    func createProject(_ name: String, rest: ArraySlice<Argument>, directory: String?) -> Judgement {
        let parsed = Self.cargoNew.parse(rest)
        if parsed.has("--help") { return pass("`cargo \(name) --help` prints usage") }
        let path = parsed.operands.first?.value ?? (name == "init" ? Value(".") : nil)
        guard let path, let target = context.absolutePath(path, relativeTo: directory) else { return Judgement() }
        var judgement = pass("`cargo \(name)` creates the project \(target)")
        judgement.effects = [.creates(path: target + "/Cargo.toml")]
        return judgement
    }

    func projectCommand(_ name: String, rest: ArraySlice<Argument>, directory: String?) -> Judgement {
        let options = rest.prefix { $0.text != "--" }
        let hasManifest = options.contains { $0.text == "--manifest-path" || $0.text.hasPrefix("--manifest-path=") }
        let manifest = directory.flatMap { context.nearestAncestor(of: $0, holding: "Cargo.toml") }
        guard hasManifest || manifest != nil else {
            return pass("no Cargo.toml here or above: `cargo \(name)` has no project to work on")
        }
        return Judgement(findings: [
            module.finding(
                Rust.projectCommand, invocation,
                reason: "`cargo \(name)` works on the project: its manifest, Cargo.lock and target/, with crates in "
                    + "the shared registry cache.", verdict: .allow)
        ])
    }

    // MARK: rustup

    static let rustupTop = OptionGrammar(
        [.init("-v", "--verbose"), .init("-q", "--quiet"), .init("-h", "--help"), .init("-V", "--version")],
        stopsAtFirstOperand: true)

    func rustup() -> Judgement {
        var arguments = invocation.operands
        // `+toolchain` as argv[1] selects the toolchain for this one command.
        if let first = arguments.first, !first.isDynamic, first.text.hasPrefix("+") {
            arguments = arguments.dropFirst()
        }
        let top = Self.rustupTop.parse(arguments)
        if top.has("--help") || top.has("--version") { return pass("rustup prints information and exits") }
        guard let command = top.remainder.first else { return Judgement() }
        if command.isDynamic {
            return Judgement(findings: [
                module.finding(
                    Rust.rustup, invocation,
                    reason: Reasons.dynamicCommand(of: "rustup", command.text, noun: "subcommand"), verdict: .ask)
            ])
        }
        let rest = Array(top.remainder.dropFirst())
        if command.text == "run" { return rustupRun(rest) }
        if rest.contains(where: { $0.text == "-h" || $0.text == "--help" }) || rest.first?.text == "help" {
            return pass("rustup prints usage")
        }
        let sub = rest.first?.text
        switch command.text {
        case "self":
            guard let sub, ["update", "up", "uninstall", "upgrade-data"].contains(sub) else {
                return pass("`rustup self` without a change")
            }
            // There is no project-local rustup: the fix is the closest thing that changes nothing.
            switch sub {
            case "uninstall":
                return Judgement(findings: [
                    module.finding(
                        Rust.rustup, invocation,
                        reason: "`rustup self uninstall` removes rustup and every toolchain, for every project; it has "
                            + "no project-local equivalent and is for the person to run. The fix only lists what it "
                            + "would remove.", fix: "rustup toolchain list --verbose")
                ])
            default:
                return Judgement(findings: [
                    module.finding(
                        Rust.rustup, invocation,
                        reason: "`rustup self \(sub)` changes rustup itself, which every project uses; it has no "
                            + "project-local equivalent. The fix only checks for updates; updating is for the person "
                            + "to do.", fix: "rustup check")
                ])
            }
        default:
            // Toolchains, components and targets are not packages (SPEC §5): installing, updating, removing,
            // selecting or overriding them passes; a project pins its own in rust-toolchain.toml.
            return pass("`rustup \(command.text)` manages toolchain versions, which are not packages")
        }
    }

    /// `rustup run [--install] TOOLCHAIN COMMAND…`: the command is judged; `--install` installs the
    /// toolchain first.
    func rustupRun(_ rest: [Argument]) -> Judgement {
        var index = 0
        var installs = false
        while index < rest.count, rest[index].text.hasPrefix("-") {
            switch rest[index].text {
            case "--install": installs = true
            case "-h", "--help": return pass("rustup prints usage")
            default: break
            }
            index += 1
        }
        guard index + 1 < rest.count else { return Judgement() }
        let toolchain = rest[index]
        // `--install` installs the toolchain first: a toolchain version, which passes (SPEC §5).
        var judgement = installs ? pass("`rustup run --install` installs a toolchain version first") : Judgement()
        judgement.nested = NestedCommand(
            arguments: Array(rest[(index + 1)...]), environmentChanges: ["RUSTUP_TOOLCHAIN": toolchain.value],
            runner: "rustup run")
        return judgement
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (no Foundation here).
    fileprivate var trimmingSpaces: Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
