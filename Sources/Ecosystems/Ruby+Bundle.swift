public import GuardKit

// Bundler described as data (Bundler 2.x–4, Thor): the generic judge reads the command; where the bundle
// goes is Bundler's own settings resolution (the command line, the project's .bundle/config, the
// environment, the user's config), which the module keeps.

extension Ruby {
    static let bundleCommon: [DescribedOption] = [
        DescribedOption("-V", "--verbose"), DescribedOption("--no-color"),
        DescribedOption("-r", "--retry", value: true),
    ]

    /// Where Bundler installs: the command line's `--system` or `--path` here; the module reads the settings
    /// below it.
    static let bundleTarget = Target(
        globalWhen: [.option("--system")], localLocation: [.option("--path")], globalRule: bundleSystem,
        locationRule: installLocation, allowRule: bundleProject, globalPlaceDescription: "the system gems")

    static func bundleCommand(
        _ names: String..., action: CommandAction = .installs, options: [DescribedOption]
    ) -> CommandDescription {
        CommandDescription(names: names, action: action, options: options, target: bundleTarget)
    }

    /// Bundler (`bundle`, `bundler`): Thor's commands and aliases by unique prefix, `bundle` alone or with
    /// an option first is `bundle install`, `--help` anywhere prints the command's help.
    static let bundleDescription = PackageManagerDescription(
        name: "bundle", programs: ["bundle", "bundler"], style: .thor,
        globalOptions: bundleCommon + [
            DescribedOption("-h", "--help", "-?", "-D", role: .help), DescribedOption("-v", "--version", role: .help),
        ],
        commands: [
            bundleCommand(
                "install", "i",
                options: [
                    DescribedOption("--path", value: true), DescribedOption("--gemfile", value: true),
                    DescribedOption("-j", "--jobs", value: true), DescribedOption("--without", value: true),
                    DescribedOption("--with", value: true), DescribedOption("--shebang", value: true),
                    DescribedOption("-P", "--trust-policy", value: true),
                    DescribedOption("--target-rbconfig", value: true), DescribedOption("--system"),
                    DescribedOption("--deployment"), DescribedOption("--standalone"),
                    DescribedOption("--binstubs", optionalValue: true), DescribedOption("--clean"),
                    DescribedOption("--frozen"), DescribedOption("--full-index"), DescribedOption("--local"),
                    DescribedOption("--prefer-local"), DescribedOption("--no-cache"), DescribedOption("--no-prune"),
                    DescribedOption("--quiet"), DescribedOption("--redownload"), DescribedOption("--force"),
                ]),
            bundleCommand(
                "update",
                options: [
                    DescribedOption("--gemfile", value: true), DescribedOption("-j", "--jobs", value: true),
                    DescribedOption("-g", "--group", value: true), DescribedOption("--source", value: true),
                    DescribedOption("--bundler", optionalValue: true), DescribedOption("--ruby"),
                    DescribedOption("--local"), DescribedOption("--all"), DescribedOption("--force"),
                    DescribedOption("--redownload"), DescribedOption("--full-index"), DescribedOption("--quiet"),
                    DescribedOption("--patch"), DescribedOption("--minor"), DescribedOption("--major"),
                    DescribedOption("--pre"), DescribedOption("--strict"), DescribedOption("--conservative"),
                ]),
            // `bundle add --path DIR` is a gem source (a local checkout), not an install location.
            CommandDescription(
                "add", action: .installs,
                options: [
                    DescribedOption("-v", "--version", value: true), DescribedOption("-g", "--group", value: true),
                    DescribedOption("-s", "--source", value: true), DescribedOption("-r", "--require", value: true),
                    DescribedOption("--path", value: true), DescribedOption("--git", value: true),
                    DescribedOption("--github", value: true), DescribedOption("--branch", value: true),
                    DescribedOption("--ref", value: true), DescribedOption("--glob", value: true),
                    DescribedOption("--quiet"), DescribedOption("--skip-install"), DescribedOption("--strict"),
                    DescribedOption("--optimistic"),
                ],
                target: Target(globalWhen: [.never], globalRule: bundleSystem, allowRule: bundleProject)),
            bundleCommand("remove", action: .removes, options: [DescribedOption("--install")]),
            bundleCommand(
                "cache", "package", "pack",
                options: [
                    DescribedOption("--path", value: true), DescribedOption("--gemfile", value: true),
                    DescribedOption("--cache-path", value: true), DescribedOption("--all"),
                    DescribedOption("--all-platforms"), DescribedOption("--no-install"), DescribedOption("--no-prune"),
                    DescribedOption("--quiet"), DescribedOption("--frozen"),
                ]),
            bundleCommand("pristine", options: []),
            bundleCommand(
                "clean", action: .removes,
                options: [DescribedOption("--dry-run", role: .dryRun), DescribedOption("--force")]),
            CommandDescription(
                "exec", "e", "ex", "exe", action: .runsCommand,
                options: [
                    DescribedOption("--keep-file-descriptors"), DescribedOption("--no-keep-file-descriptors"),
                    DescribedOption("--gemfile", value: true),
                ]),
            // Read by the module: `path` and `path.system` send every later install somewhere.
            CommandDescription(
                "config", action: .reads,
                options: [
                    DescribedOption("--local"), DescribedOption("--global"), DescribedOption("--delete"),
                    DescribedOption("--parseable"),
                ]),
            CommandDescription(
                "init", action: .reads,
                options: [DescribedOption("--gemspec", value: true), DescribedOption("--gemfile", value: true)]),
            CommandDescription("check", "c", action: .reads),
            CommandDescription("list", "ls", action: .reads),
        ]
            + [
                "binstubs", "console", "doctor", "env", "fund", "gem", "help", "info", "inject", "issue", "licenses",
                "lock", "open", "outdated", "platform", "plugin", "show", "version", "viz",
            ].map { CommandDescription($0, action: .reads) },
        commandLookup: .uniquePrefix, withoutCommand: .command("install"), dynamicRule: dynamicCommand,
        versionWord: true, unknownOptionRunsDefaultCommand: true)
}

extension RubyCommand {
    /// `bundle …`: the generic judge reads the command; Bundler's settings decide where it installs.
    func bundle() -> Judgement {
        let outcome = DescribedJudge(ecosystem: module.id, descriptions: [Ruby.bundleDescription])
            .judge(invocation, in: context)
        guard let read = outcome.command, let command = read.path.first else { return outcome.judgement }
        let parsed = read.parsed
        let words = ["bundle", command] + read.arguments.map(Quoting.argument)
        switch command {
        case "exec": return bundleExec(outcome.judgement, gemfileOption: parsed.value("--gemfile"))
        case "config": return bundleConfig(parsed)
        case "init": return bundleInit(parsed)
        default: break
        }
        // Help and dry runs passed the generic judge without judging a place.
        guard outcome.written != nil else { return outcome.judgement }
        switch command {
        case "install":
            return bundleInstalls(
                "bundle install", cli: parsed,
                fixWords: fixWords(
                    "install", read.arguments, parsed: parsed, dropping: ["--system", "--path", "--deployment"]))
        case "update":
            return bundleInstalls("bundle update", cli: nil, gemfileOption: parsed.value("--gemfile"), fixWords: words)
        case "add":
            if parsed.has("--skip-install") {
                return allowProject("`bundle add --skip-install` only edits the Gemfile.")
            }
            return bundleInstalls("bundle add", cli: nil, fixWords: words)
        case "remove":
            if !parsed.has("--install") {
                guard gemfile().found else { return note("no Gemfile: `bundle remove` has nothing to edit") }
                return allowProject("`bundle remove` edits the project's Gemfile.")
            }
            return bundleInstalls("bundle remove", cli: nil, fixWords: words)
        case "cache":
            // `bundle cache` installs the bundle first, unless `--no-install`.
            if parsed.has("--no-install") {
                return note("`bundle cache --no-install` only copies .gem files into the project")
            }
            return bundleInstalls(
                "bundle cache", cli: parsed,
                fixWords: fixWords("cache", read.arguments, parsed: parsed, dropping: ["--path"]))
        case "clean":
            return bundleClean(parsed, words: words)
        default:
            return bundleInstalls("bundle \(command)", cli: nil, fixWords: words)
        }
    }
}
