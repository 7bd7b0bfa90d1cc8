public import GuardKit

/// Rust: cargo (`install`/`uninstall` and the project commands), the binary installers that work like
/// `cargo install` (cargo-binstall, cargo-update's `install-update`, cargo-quickinstall) and rustup.
///
/// Binaries installed by cargo go to an install root, chosen in this order: `--root`,
/// `CARGO_INSTALL_ROOT`, `install.root` from `--config` (or, for `install --path DIR`, DIR's cargo config),
/// `CARGO_HOME`, `~/.cargo`. A root inside the project is the project's; anything else is shared by every
/// project. rustup's toolchains are versions, which pass; rustup replacing or removing itself is global.
public struct Rust: DescribedEcosystem {
    public let id = "rust"
    public let summary = "cargo, cargo-binstall and rustup: binaries go into a project-local install root."
    public let projectMarkers = ["Cargo.toml"]
    /// cargo's and rustup's install verbs, the project commands' among them.
    public let operationWords: Set<String> = ["install", "uninstall", "add", "remove", "update"]
    /// Cargo's default install root's bin: `$CARGO_HOME/bin`, with CARGO_HOME defaulting to `~/.cargo`.
    public let userBinDirectories = [".cargo/bin"]

    /// Patterns that are global in every context: under sudo an install is never project-local, and
    /// rustup has no project-local copy of itself. Bare `cargo install *` is not one: with `--root` or
    /// `CARGO_INSTALL_ROOT` inside the project it is allowed.
    public let denyPatterns = [
        "Bash(sudo cargo install *)", "Bash(sudo cargo binstall *)", "Bash(sudo cargo-binstall *)",
        "Bash(rustup self update*)", "Bash(rustup self uninstall*)",
    ]

    /// Creates the module.
    public init() {}

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

    /// The programs its descriptions claim, listed so that dispatching needs no description built.
    public let programs = ["cargo", "cargo-binstall", "cargo-install-update", "cargo-quickinstall", "rustup"]
    /// Built on first use: a line that runs no Rust tool never builds them.
    public var descriptions: [PackageManagerDescription] { Rust.all }

    static let all = [
        cargo, program("cargo-binstall", binstallCommand), program("cargo-install-update", installUpdateCommand),
        program("cargo-quickinstall", quickinstallCommand), rustupDescription,
    ]

    // MARK: cargo (clap)

    /// Options cargo takes before the command; clap's `global = true` ones also after it.
    static let cargoOptions = [
        DescribedOption("-h", "--help", role: .help), DescribedOption("-V", "--version", role: .help),
        DescribedOption("--list", role: .help), DescribedOption("--explain", value: true, role: .help),
        DescribedOption("-v", "--verbose"), DescribedOption("-q", "--quiet"), DescribedOption("--color", value: true),
        DescribedOption("--config", value: true), DescribedOption("-Z", value: true), DescribedOption("--locked"),
        DescribedOption("--offline"), DescribedOption("--frozen"),
        // `-C DIR` (nightly) changes the directory before anything, relative paths included.
        DescribedOption("-C", value: true, role: .workingDirectory),
    ]

    /// cargo's install root: `--root` > `CARGO_INSTALL_ROOT` > `install.root` > `CARGO_HOME` > `~/.cargo`.
    /// A root is judged as a whole: cargo writes its `bin` and its list of installed crates.
    static let installRoot: [LocationSource] = [
        .option("--root"), .environment("CARGO_INSTALL_ROOT"), .custom(configuredRoot),
        .environment("CARGO_HOME"), .path("~/.cargo"),
    ]

    /// A target whose default is `~/.cargo` (`rule`) and whose explicit roots are judged by where they point.
    static func root(_ sources: [LocationSource], rule: Rule, alsoJudged: [LocationSource] = []) -> Target {
        Target(
            globalWhen: [], globalLocation: sources, globalCommandLocation: alsoJudged, globalRule: rule,
            locationRule: installLocation, explicitGlobalRule: true, allowRule: localLocation)
    }

    /// Where there is no project: use `tools/` when it is one or can be, never invent one under home.
    static let newProject = [
        TemplateCase(.exists("tools/Cargo.toml"), "cd tools && {text}"),
        TemplateCase(.isDirectory("tools"), "cargo init tools && cd tools && {text}"),
        // A comment, so that pasted as written it runs nothing.
        TemplateCase(
            .inHome,
            "# no project here, and ~ is shared by every project below it: in the project that needs it (cargo "
                + "init there first if it has none), run: {text}"),
        TemplateCase(.always, "cargo new tools && cd tools && {text}"),
    ]

    /// The same command with a project root given by `option` right after the command word.
    static func rootFix(_ option: String, cases: [TemplateCase] = newProject) -> CommandTemplate {
        CommandTemplate("{head} \(option) {project}/.tools {arguments}", withoutProjectCases: cases)
    }

    static func installing(_ name: String, action: CommandAction, options: [DescribedOption]) -> CommandDescription {
        CommandDescription(
            name, action: action, options: options, target: root(installRoot, rule: cargoInstall),
            // A crate at the home directory itself has no project (SPEC §4): build it where it is.
            fix: rootFix(
                "--root",
                cases: [
                    TemplateCase(
                        .namedDirectoryWithoutProject, "cargo build --release --manifest-path {named}/Cargo.toml")
                ] + newProject),
            projectOption: ProjectOption("--path", marker: "Cargo.toml"))
    }

    static let cargo = PackageManagerDescription(
        name: "cargo", programs: ["cargo"], style: .clap, globalOptions: cargoOptions,
        commands: [
            installing(
                "install", action: .installs,
                options: [
                    DescribedOption("--vers", "--version", value: true), DescribedOption("--root", value: true),
                    DescribedOption("--path", value: true), DescribedOption("--list", role: .reads),
                    DescribedOption("--dry-run", role: .dryRun), DescribedOption("-f", "--force"),
                ]
                    + [
                        "--index", "--registry", "--git", "--branch", "--tag", "--rev", "--message-format",
                        "--profile", "--target", "--target-dir", "--bin", "--example", "--lockfile-path",
                    ].map { DescribedOption(spellings: [$0], value: true) }
                    + [DescribedOption("-F", "--features", value: true), DescribedOption("-j", "--jobs", value: true)]),
            installing(
                "uninstall", action: .removes,
                options: [
                    DescribedOption("-p", "--package", value: true), DescribedOption("--bin", value: true),
                    DescribedOption("--root", value: true),
                ]),
            binstallCommand, installUpdateCommand, quickinstallCommand,
            creating("new", orWorkingDirectory: false), creating("init", orWorkingDirectory: true),
        ]
            + [
                ["build", "b"], ["check", "c"], ["test", "t"], ["run", "r"], ["bench"], ["doc", "d"], ["add"],
                ["remove", "rm"], ["fetch"], ["update"], ["generate-lockfile"], ["vendor"], ["fix"], ["clippy"],
            ].map {
                CommandDescription(
                    names: $0, action: .worksOnProject(markers: ["Cargo.toml"], manifestOption: "--manifest-path"),
                    options: [DescribedOption("--manifest-path", value: true)], rule: projectCommand)
            },
        dynamicRule: cargoInstall, versionSelectorPrefix: "+")

    /// `cargo new PATH` and `cargo init [PATH]` create a project later parts of the line may use.
    static func creating(_ name: String, orWorkingDirectory: Bool) -> CommandDescription {
        CommandDescription(
            name, action: .reads,
            options: ["--vcs", "--edition", "--name", "--registry"].map {
                DescribedOption(spellings: [$0], value: true)
            }, creates: ["Cargo.toml"], createdIn: .firstOperand(orWorkingDirectory: orWorkingDirectory))
    }

    /// A cargo external subcommand's own program, which cargo runs with the command's name first.
    static func program(_ name: String, _ command: CommandDescription) -> PackageManagerDescription {
        PackageManagerDescription(
            name: name, programs: [name], style: .clap, commands: [command], dynamicRule: cargoInstall,
            soleCommand: command.name)
    }

    // MARK: The binary installers

    /// cargo-binstall: the same root as cargo, but `--install-path` (the bin directory itself) wins, and
    /// `--version` is the crate's version (`-V` prints binstall's).
    static let binstallCommand = CommandDescription(
        "binstall", action: .installs,
        options: [
            DescribedOption("-h", "--help", role: .help), DescribedOption("-V", role: .help),
            DescribedOption("--dry-run", role: .dryRun), DescribedOption("-y", "--no-confirm"),
        ]
            + [
                "--version", "--targets", "--pkg-url", "--pkg-fmt", "--bin-dir", "--manifest-path", "--git",
                "--rate-limit", "--strategies", "--disable-strategies", "--maximum-resolution-timeout",
                "--install-path", "--root", "--index", "--registry", "--github-token", "--log-level", "--settings",
                "--min-tls-version", "--root-certificates",
            ].map { DescribedOption(spellings: [$0], value: true) },
        target: root(
            [
                .option("--install-path"), .option("--root"),
                .environment("CARGO_INSTALL_ROOT"), .environment("CARGO_HOME"),
                .path("~/.cargo"),
            ], rule: binstall),
        fix: rootFix("--root"))

    /// cargo-update: `install-update -a|PACKAGE…` reinstalls (`cargo install --root DIR`) what its cargo dir
    /// lists: `-c/--cargo-dir`, else CARGO_INSTALL_ROOT, else CARGO_HOME, else ~/.cargo.
    static let installUpdateCommand = CommandDescription(
        "install-update", action: .installs,
        options: [
            DescribedOption("-h", "--help", role: .help), DescribedOption("-V", "--version", role: .help),
            DescribedOption("-l", "--list", role: .reads), DescribedOption("-a", "--all"),
            DescribedOption("-s", "--filter", value: true), DescribedOption("-r", "--install-cargo", value: true),
            DescribedOption("-c", "--cargo-dir", value: true), DescribedOption("-t", "--temp-dir", value: true),
            DescribedOption("-j", "--jobs", value: true),
        ],
        target: root(
            [
                .option("--cargo-dir"), .environment("CARGO_INSTALL_ROOT"),
                .environment("CARGO_HOME"), .path("~/.cargo"),
            ],
            rule: installUpdate),
        fix: rootFix("--cargo-dir"), writesWithoutOperandsOnly: ["--all"])

    /// cargo-quickinstall: prebuilt binaries into CARGO_HOME/bin, with no root of its own. It runs
    /// cargo-binstall when it can, which honours CARGO_INSTALL_ROOT first: both places are judged, the
    /// stricter deciding (cargo-binstall's first on a tie). The fix is cargo-binstall with a project root:
    /// the same prebuilt binary.
    static let quickinstallCommand = CommandDescription(
        "quickinstall", action: .installs,
        options: [
            DescribedOption("-h", "--help", role: .help), DescribedOption("-V", "--print-version", role: .help),
            DescribedOption("--dry-run", role: .dryRun), DescribedOption("--version", value: true),
            DescribedOption("--target", value: true),
        ],
        target: root(
            [.environment("CARGO_INSTALL_ROOT"), .environment("CARGO_HOME"), .path("~/.cargo")], rule: quickinstall,
            alsoJudged: [.environment("CARGO_HOME"), .path("~/.cargo")]),
        fix: CommandTemplate(
            "cargo binstall --root {project}/.tools {--target:--targets } {operands}{--version:@}",
            withoutProjectCases: newProject),
        writesWithoutOperandsOnly: [])

    // MARK: rustup

    /// rustup changing itself: there is no project-local rustup, so the fix is the closest thing that
    /// changes nothing. Its toolchains, components and targets are versions, not packages (SPEC §5): every
    /// other command passes.
    static let rustupDescription: PackageManagerDescription = {
        func itself(_ place: String) -> Target {
            Target(globalWhen: [], globalRule: rustup, allowRule: localLocation, globalPlaceDescription: place)
        }
        return PackageManagerDescription(
            name: "rustup", programs: ["rustup"], style: .clap,
            globalOptions: [
                DescribedOption("-h", "--help", role: .help), DescribedOption("-V", "--version", role: .help),
                DescribedOption("-v", "--verbose"), DescribedOption("-q", "--quiet"),
            ],
            commands: [
                CommandDescription(
                    "self", action: .group,
                    subcommands: [
                        CommandDescription(
                            "update", "up", action: .selfUpdate, target: itself("rustup itself"),
                            fix: CommandTemplate("rustup check")),
                        CommandDescription(
                            "upgrade-data", action: .selfUpdate, target: itself("rustup's own data"),
                            fix: CommandTemplate("rustup check")),
                        CommandDescription(
                            "uninstall", action: .removes,
                            target: itself("the rustup installation (rustup and every toolchain)"),
                            fix: CommandTemplate("rustup toolchain list --verbose")),
                    ]),
                // `--install` installs the toolchain first: a toolchain version, which passes.
                CommandDescription(
                    "run", action: .runsCommandAfterOperand(variable: "RUSTUP_TOOLCHAIN"),
                    options: [DescribedOption("--install")]),
            ],
            dynamicRule: rustup, versionSelectorPrefix: "+")
    }()

    // MARK: install.root

    /// `install.root` from the last `--config` that sets it; else, for `install --path DIR`, from the cargo
    /// config files cargo reads there: `.cargo/config.toml` (or `.cargo/config`) in DIR and its ancestors,
    /// nearest first, a relative root being relative to the directory holding `.cargo`.
    static let configuredRoot = CustomLocation("install.root") { query in
        var written: [Argument] = []
        var root: Value?
        for found in query.options where found.name == "--config" {
            guard let argument = found.value, let value = installRoot(fromConfig: argument) else { continue }
            written += argument == found.written ? [argument] : [found.written, argument]
            root = value
        }
        if let root {
            return CustomResolution(location: (root, nil, "--config install.root"), written: written)
        }
        let files = query.context.files
        guard let path = query.value("--path"),
            var directory = query.context.absolutePath(path.value, relativeTo: query.directory),
            files.exists(directory + "/Cargo.toml")
        else { return CustomResolution(written: written) }
        while true {
            for name in [".cargo/config.toml", ".cargo/config"] {
                // `root` in an `[install]` table, or `install.root` at the top.
                guard let bytes = files.contents(of: directory + "/" + name),
                    let root = TOMLSetting.value(bytes, table: "install", key: "root"), !root.isEmpty
                else { continue }
                return CustomResolution(
                    location: (Value(root), directory, "install.root in " + directory + "/" + name))
            }
            if directory == "/" || directory == query.context.home { return CustomResolution(written: written) }
            directory = Paths.parent(directory)
        }
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
}

extension Substring {
    /// Without leading and trailing spaces, tabs and carriage returns (no Foundation here).
    fileprivate var trimmingSpaces: Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" || first == "\r" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result = result.dropLast() }
        return result
    }
}
