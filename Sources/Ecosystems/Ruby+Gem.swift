public import GuardKit

// RubyGems described as data (its command manager and OptionParser options, RubyGems 3.x): the generic
// judge reads the command; the module keeps the fixes, which are Ruby's own (a Gemfile entry, a
// gem directory inside the project).

extension Ruby {
    static let gemHelp: [DescribedOption] = [
        DescribedOption("-h", "--help", role: .help), DescribedOption("-V", "--verbose"),
        DescribedOption("--no-verbose"), DescribedOption("-q", "--quiet"), DescribedOption("--silent"),
        DescribedOption("--config-file", value: true), DescribedOption("--backtrace"),
        DescribedOption("--traceback"), DescribedOption("--debug"), DescribedOption("--norc"),
    ]
    /// `-v VERSION` of a command (before the command, `-v` prints gem's version).
    static let gemVersion = DescribedOption("-v", "--version", value: true)
    static let gemInstallUpdate: [DescribedOption] = [
        DescribedOption("-i", "--install-dir", value: true), DescribedOption("-n", "--bindir", value: true),
        DescribedOption("--document", optionalValue: true), DescribedOption("--build-root", value: true),
        DescribedOption("--vendor"), DescribedOption("-N", "--no-document"), DescribedOption("-E", "--env-shebang"),
        DescribedOption("--no-env-shebang"), DescribedOption("-f", "--force"), DescribedOption("--no-force"),
        DescribedOption("-w", "--wrappers"), DescribedOption("--no-wrappers"),
        DescribedOption("-P", "--trust-policy", value: true), DescribedOption("--ignore-dependencies"),
        DescribedOption("--format-executable"), DescribedOption("--no-format-executable"),
        DescribedOption("--user-install"), DescribedOption("--no-user-install"), DescribedOption("--development"),
        DescribedOption("--development-all"), DescribedOption("--conservative"), DescribedOption("--minimal-deps"),
        DescribedOption("--no-minimal-deps"), DescribedOption("--post-install-message"),
        DescribedOption("--no-post-install-message"), DescribedOption("-g", "--file", optionalValue: true),
        DescribedOption("--without", value: true), DescribedOption("--default"),
        DescribedOption("--explain", role: .dryRun), DescribedOption("--lock"), DescribedOption("--no-lock"),
        DescribedOption("--suggestions"), DescribedOption("--no-suggestions"),
    ]
    static let gemSources: [DescribedOption] = [
        DescribedOption("-l", "--local"), DescribedOption("-r", "--remote"), DescribedOption("-b", "--both"),
        DescribedOption("-B", "--bulk-threshold", value: true), DescribedOption("--clear-sources"),
        DescribedOption("-s", "--source", value: true), DescribedOption("-p", "--http-proxy", optionalValue: true),
        DescribedOption("--no-http-proxy"), DescribedOption("-u", "--update-sources"),
        DescribedOption("--no-update-sources"), DescribedOption("--platform", value: true),
        DescribedOption("--prerelease"), DescribedOption("--no-prerelease"),
    ]

    /// Options that choose where gems go: dropped from a fix that chooses the place itself.
    static let gemLocationOptions: Set<String> = [
        "--install-dir", "--bindir", "--build-root", "--vendor", "--user-install", "--no-user-install",
    ]

    /// Where a gem command writes, in the installer's order: `--build-root` prefixes everything, then
    /// `--vendor` and `--install-dir`, then `--user-install`, then GEM_HOME, then the default GEM_HOME.
    /// Executables go to `--bindir` when given, else beside the gems.
    static func gemTarget(installDir: Bool) -> Target {
        let userInstall = LocationSource.flag("--user-install", path: "~/.gem", negation: "--no-user-install")
        let gems: [LocationSource] =
            [
                .option("--build-root"),
                .flag("--vendor", path: nil, place: "the Ruby installation's vendor directory"),
            ] + (installDir ? [.option("--install-dir")] : []) + [userInstall, .environment("GEM_HOME")]
        var target = Target(
            globalWhen: [], globalLocation: gems, globalCommandLocation: installDir ? [.option("--bindir")] + gems : [],
            globalRule: gemGlobal, locationRule: installLocation, explicitGlobalRule: true, allowRule: localLocation,
            globalPlaceDescription: "the default GEM_HOME")
        target.sourceRules = [userInstall: Ruby.userInstall]
        return target
    }

    static func gemCommand(
        _ names: String..., options: [DescribedOption], installDir: Bool = true, subcommands: [CommandDescription] = [],
        writesWithoutOperandsOnly: Set<String>? = nil
    ) -> CommandDescription {
        CommandDescription(
            names: names, action: .installs, options: gemHelp + options, subcommands: subcommands,
            target: gemTarget(installDir: installDir), writesWithoutOperandsOnly: writesWithoutOperandsOnly)
    }

    /// RubyGems (`gem`): a unique prefix of a lowercased command word, `i` for install; only `-h`, `-v`
    /// and `-C DIR` before the command, the config-file options anywhere.
    static let gemDescription: PackageManagerDescription = {
        var exec = gemCommand(
            "exec",
            options: [
                gemVersion, DescribedOption("-s", "--source", value: true), DescribedOption("--prerelease"),
                DescribedOption("--no-prerelease"), DescribedOption("-g", "--gem", value: true),
                DescribedOption("--conservative"),
            ], installDir: false, writesWithoutOperandsOnly: [])
        // What follows the executable is its own command line.
        exec.stopsAtFirstOperand = true
        let writers = [
            gemCommand(
                "install", "i", options: gemInstallUpdate + gemSources + [gemVersion],
                writesWithoutOperandsOnly: ["--file"]),
            gemCommand(
                "update",
                options: gemInstallUpdate + gemSources + [
                    DescribedOption("--system", optionalValue: true, role: .actsAs("--system"))
                ],
                subcommands: [
                    CommandDescription(
                        "--system", action: .selfUpdate,
                        target: Target(
                            globalWhen: [], globalRule: gemSystemUpdate, allowRule: localLocation,
                            globalPlaceDescription: "RubyGems itself in the Ruby installation"))
                ]),
            gemCommand(
                "uninstall",
                options: [
                    gemVersion, DescribedOption("-a", "--all"), DescribedOption("--no-all"),
                    DescribedOption("-I", "--ignore-dependencies"), DescribedOption("--no-ignore-dependencies"),
                    DescribedOption("-D", "--check-development"), DescribedOption("--no-check-development"),
                    DescribedOption("-x", "--executables"), DescribedOption("--no-executables"),
                    DescribedOption("-i", "--install-dir", value: true), DescribedOption("-n", "--bindir", value: true),
                    DescribedOption("--user-install"), DescribedOption("--no-user-install"),
                    DescribedOption("--format-executable"), DescribedOption("--no-format-executable"),
                    DescribedOption("--force"), DescribedOption("--no-force"), DescribedOption("--abort-on-dependent"),
                    DescribedOption("--no-abort-on-dependent"), DescribedOption("--platform", value: true),
                    DescribedOption("--vendor"),
                ], writesWithoutOperandsOnly: ["--all"]),
            gemCommand(
                "pristine",
                options: [
                    gemVersion, DescribedOption("--all"), DescribedOption("--skip", value: true),
                    DescribedOption("--extensions"), DescribedOption("--no-extensions"),
                    DescribedOption("--only-missing-extensions"), DescribedOption("--only-executables"),
                    DescribedOption("--only-plugins"), DescribedOption("-E", "--env-shebang"),
                    DescribedOption("--no-env-shebang"), DescribedOption("-i", "--install-dir", value: true),
                    DescribedOption("-n", "--bindir", value: true), DescribedOption("--platform", value: true),
                ]),
            gemCommand(
                "cleanup",
                options: [
                    DescribedOption("-n", "-d", "--dry-run", role: .dryRun), DescribedOption("--dryrun", role: .dryRun),
                    DescribedOption("-D", "--check-development"), DescribedOption("--no-check-development"),
                    DescribedOption("--user-install"), DescribedOption("--no-user-install"),
                ], installDir: false),
            exec,
        ]
        let readers = [
            "build", "cert", "check", "contents", "dependency", "environment", "fetch", "generate_index", "help",
            "info", "list", "lock", "mirror", "open", "outdated", "owner", "push", "query", "rdoc", "rebuild",
            "search", "server", "specification", "stale", "unpack", "which", "yank",
        ].map { CommandDescription($0, action: .reads) }
        return PackageManagerDescription(
            name: "gem", programs: ["gem"], style: .optionParser,
            // RubyGems' ConfigFile takes its options out of the whole line before the command is read.
            globalOptions: [
                DescribedOption("-h", "--help", "--help-all", role: .help),
                DescribedOption("-v", "--version", role: .help),
                DescribedOption("-C", value: true, role: .workingDirectory),
                DescribedOption("--config-file", value: true), DescribedOption("--backtrace"),
                DescribedOption("--traceback"), DescribedOption("--debug"), DescribedOption("--norc"),
            ],
            commands: writers + readers + [
                CommandDescription("signin", "login", action: .reads),
                CommandDescription("signout", "logout", action: .reads),
                CommandDescription("sources", action: .reads),
            ],
            commandLookup: .uniquePrefixIgnoringCase, dynamicRule: dynamicCommand, versionWord: true,
            refusesUnknownOptionsBeforeCommand: true,
            settingsArguments: SettingsArguments(
                systemFiles: ["/etc/gemrc"],
                userFiles: ["~/.gemrc", "$XDG_CONFIG_HOME/gem/gemrc", "~/.config/gem/gemrc"], listVariable: "GEMRC",
                userFileOption: "--config-file", disablingOption: "--norc", keys: ["gem", "{command}"]))
    }()
}

extension RubyCommand {
    /// `gem …`: the generic judge, then the project-local way to do what the command meant.
    func gem() -> Judgement {
        let outcome = DescribedJudge(ecosystem: module.id, descriptions: [Ruby.gemDescription])
            .judge(invocation, in: context)
        var judgement = outcome.judgement
        guard let read = outcome.command, outcome.written != nil, let command = read.path.first else {
            return judgement
        }
        let parsed = read.parsed
        let gemHome = environment["GEM_HOME"].flatMap { $0.text.isEmpty && !$0.isDynamic ? nil : $0 }
        let fix: String
        if read.path.last == "--system" {
            fix = rubygemsUpdateFix(version: parsed.operands.first)
        } else {
            // What comes after `--` is build flags for extensions (install) or the executable's arguments.
            let names = Array(parsed.operands.dropLast(parsed.afterDoubleDash.count))
            // Someone who chose a directory gets a directory in the project; otherwise the Gemfile way.
            let choseLocation =
                gemHome != nil || read.has("--install-dir") || read.has("--bindir") || read.has("--build-root")
            fix = gemFix(
                command, parsed: parsed, names: names, arguments: read.arguments, preferInstallDir: choseLocation)
        }
        let chosePlace = read.has("--install-dir") || read.has("--build-root") || read.has("--vendor")
        for index in judgement.findings.indices {
            if judgement.findings[index].verdict >= .ask {
                judgement.findings[index].fix = fix
            } else if !chosePlace, let gemHome {
                // The fix of an allow is what to suggest if `sudo` turns it into a block: the command as it
                // runs here, with the GEM_HOME it depends on.
                judgement.findings[index].fix = context.absolutePath(gemHome, relativeTo: directory).map {
                    withEnvironment("GEM_HOME", $0)
                }
            }
        }
        return judgement
    }
}
