/// A package manager described as data: how its command line is written and what each command does to
/// which location. ``DescribedJudge`` reads it; a module supplies one per package manager it guards.
///
/// The description says what the tool's documentation says — the program names, the option style, the
/// global options, the commands with their aliases, which options and variables choose the install
/// location — and names, for each way a command can go global, the rule that fires. Everything that is
/// the same for every package manager (help and dry runs pass, a dynamic command asks, a location inside
/// the project allows, outside blocks, unresolvable asks, the fix drops the global options) is the judge's.
public struct PackageManagerDescription: Sendable {
    /// The name shown in reasons and notes (`composer`).
    public var name: String
    /// The normalized command words that run it (`composer`, `apt-get`).
    public var programs: [String]
    /// Interpreters that run it from a script file (`php composer.phar`).
    public var launchers: [Launcher]
    /// How its options are written.
    public var style: OptionStyle { didSet { grammars = GrammarCache() } }
    /// Options before the command (and, for most tools, anywhere after it too).
    public var globalOptions: [DescribedOption] { didSet { grammars = GrammarCache() } }
    /// Its commands.
    public var commands: [CommandDescription] { didSet { grammars = GrammarCache() } }
    /// The option grammars built so far, shared by the copies of the description (a changed one starts
    /// afresh): each is built on first use, once per process, as the hand-written grammars were.
    var grammars = GrammarCache()
    /// How a command word is matched: exactly, or also by a unique prefix (`composer req`).
    public var commandLookup: CommandLookup
    /// Whether the command is chosen by an option rather than a word (`pacman -S`, `pacman -Rns`): the
    /// commands' names are then option spellings, and the first one given selects the command.
    public var selectsCommandByOption: Bool
    /// What the program does with no command at all.
    public var withoutCommand: Fallback
    /// What a command word it does not know does.
    public var unknownCommand: Fallback
    /// The rule for what cannot be known statically: a dynamic command word, a dynamic launcher script.
    public var dynamicRule: Rule
    /// Where the project's scripts live, for commands that run them.
    public var scripts: ScriptSource?
    /// A first argument starting with this selects the tool's version for this one command (`cargo +nightly`,
    /// `rustup +stable`): it is skipped to find the command, and kept in fixes.
    public var versionSelectorPrefix: String?
    /// For a program that is one command (`cargo-binstall` is cargo's `binstall`): that command, which every
    /// argument belongs to. A first argument naming it is skipped (cargo runs its external subcommands with
    /// their name first: `cargo-binstall binstall ripgrep`).
    public var soleCommand: String?
    /// Whether a first word `_VERSION_` (a digit first) picks which installed version of the tool runs, as
    /// RubyGems' executables read it (`bundle _2.4.22_ install`): the word is part of the program.
    public var versionWord: Bool
    /// Whether an option it does not know before the command makes it refuse the line, running nothing
    /// (RubyGems: only its global options may come first).
    public var refusesUnknownOptionsBeforeCommand: Bool
    /// Whether a first word that is an option it does not know runs ``withoutCommand``'s command with every
    /// argument (Thor's default command: `bundle --deployment` is `bundle install --deployment`).
    public var unknownOptionRunsDefaultCommand: Bool
    /// Options its settings files add to every command line (`.gemrc`'s `gem: --user-install`).
    public var settingsArguments: SettingsArguments?
    /// For a ``OptionStyle/nopt`` tool whose every option applies to every command (npm's configuration
    /// definitions): its own definitions, read instead of ones built from the described options, which then
    /// only say what roles some options have.
    public var noptDefinitions: NoptDefinitions? { didSet { grammars = GrammarCache() } }

    /// Creates a description.
    public init(
        name: String, programs: [String], launchers: [Launcher] = [], style: OptionStyle,
        globalOptions: [DescribedOption] = [], commands: [CommandDescription], commandLookup: CommandLookup = .exact,
        selectsCommandByOption: Bool = false, withoutCommand: Fallback = .reads, unknownCommand: Fallback = .reads,
        dynamicRule: Rule, scripts: ScriptSource? = nil, versionSelectorPrefix: String? = nil,
        soleCommand: String? = nil, versionWord: Bool = false,
        refusesUnknownOptionsBeforeCommand: Bool = false, unknownOptionRunsDefaultCommand: Bool = false,
        settingsArguments: SettingsArguments? = nil, noptDefinitions: NoptDefinitions? = nil
    ) {
        self.noptDefinitions = noptDefinitions
        self.versionSelectorPrefix = versionSelectorPrefix
        self.soleCommand = soleCommand
        self.settingsArguments = settingsArguments
        self.unknownOptionRunsDefaultCommand = unknownOptionRunsDefaultCommand
        self.refusesUnknownOptionsBeforeCommand = refusesUnknownOptionsBeforeCommand
        self.versionWord = versionWord
        self.name = name
        self.programs = programs
        self.launchers = launchers
        self.style = style
        self.globalOptions = globalOptions
        self.commands = commands
        self.commandLookup = commandLookup
        self.selectsCommandByOption = selectsCommandByOption
        self.withoutCommand = withoutCommand
        self.unknownCommand = unknownCommand
        self.dynamicRule = dynamicRule
        self.scripts = scripts
    }

    /// Every rule the description can fire, each once, in the order first named.
    public var rules: [Rule] {
        var seen: Set<String> = []
        var result: [Rule] = []
        func add(_ rule: Rule?) {
            guard let rule, seen.insert(rule.id).inserted else { return }
            result.append(rule)
        }
        func visit(_ command: CommandDescription) {
            add(command.rule)
            if case .judgedBy(let custom) = command.action { custom.rules.forEach(add) }
            if let target = command.target {
                for rule in target.sourceRules.values.sorted(by: { $0.id < $1.id }) { add(rule) }
                add(target.globalRule)
                add(target.locationRule)
                add(target.allowRule)
                if case .needsProject(let rule) = target.local { add(rule) }
                if case .needsMarkers(_, let rule, _) = target.local { add(rule) }
                if case .notShared(_, _, _, let rule) = target.local { add(rule) }
                if case .versioned(_, _, _, let rule, _) = target.local { add(rule) }
            }
            for sub in command.subcommands { visit(sub) }
        }
        add(dynamicRule)
        for command in commands { visit(command) }
        if case .asks(let rule) = unknownCommand { add(rule) }
        if case .asks(let rule) = withoutCommand { add(rule) }
        return result
    }
}

/// Options a tool reads from its YAML settings files and puts before a command's own (RubyGems' gemrc:
/// `gem: --user-install` for every command, `install: --no-document` for one).
///
/// The system files are read, then the user's file (the first of ``userFiles`` that exists, or the file
/// ``userFileOption`` names), then the files ``listVariable`` lists; a later file's key wins.
/// ``disablingOption`` reads none. File names are absolute, `~/…` or `$NAME/…`.
public struct SettingsArguments: Sendable {
    /// System-wide files (`/etc/gemrc`).
    public var systemFiles: [String]
    /// The user's file: the first of these that exists (`~/.gemrc`, `$XDG_CONFIG_HOME/gem/gemrc`).
    public var userFiles: [String]
    /// A variable listing more files, `:`-separated, read last (`GEMRC`).
    public var listVariable: String?
    /// An option naming the user's file instead (`--config-file`).
    public var userFileOption: String?
    /// An option that reads no settings file (`--norc`).
    public var disablingOption: String?
    /// The keys whose values are options, in order; `{command}` is the command's canonical name.
    public var keys: [String]

    /// Creates the description of a tool's settings arguments.
    public init(
        systemFiles: [String], userFiles: [String], listVariable: String? = nil, userFileOption: String? = nil,
        disablingOption: String? = nil, keys: [String]
    ) {
        self.systemFiles = systemFiles
        self.userFiles = userFiles
        self.listVariable = listVariable
        self.userFileOption = userFileOption
        self.disablingOption = disablingOption
        self.keys = keys
    }
}

/// An interpreter running the package manager from a script (`php composer.phar install`).
public struct Launcher: Sendable {
    /// The interpreter's normalized name (`php`).
    public var interpreter: String
    /// Base names of the script that is the package manager (`composer.phar`, `composer`).
    public var scripts: [String]
    /// The interpreter's options that take a value (`-d`, `-c` for php), skipped to find the script.
    public var valueOptions: Set<String>

    /// Creates a launcher.
    public init(interpreter: String, scripts: [String], valueOptions: Set<String> = []) {
        self.interpreter = interpreter
        self.scripts = scripts
        self.valueOptions = valueOptions
    }
}

/// How a CLI library writes options; each package manager uses one.
public enum OptionStyle: Sendable, Hashable {
    /// GNU getopt_long (apt, dnf, zypper, pacman, apk): `-qv` bundles, `--opt=v`, no abbreviations.
    case getopt
    /// Python's optparse/argparse (pip): getopt plus unique prefixes of long options.
    case optparse
    /// npm's nopt: unique prefixes of long options.
    case nopt
    /// Rust's clap (cargo, deno): getopt without abbreviations.
    case clap
    /// Go's flag package (go, snap's go-flags are getopt-like): `-name` or `--name`, no bundling.
    case goFlags
    /// Ruby's Thor (bundle): getopt without abbreviations; `_` in a long name reads as `-`.
    case thor
    /// Ruby's OptionParser (gem, brew): getopt plus unique prefixes, `_` in a long name read as `-`, and a
    /// long name that matches none exactly matched ignoring case.
    case optionParser
    /// Symfony Console (composer): getopt without abbreviations of options.
    case symfony
    /// System.CommandLine (dotnet): getopt without bundling surprises.
    case systemCommandLine

    /// Whether a unique prefix of a long option stands for it.
    public var abbreviatesOptions: Bool {
        switch self {
        case .optparse, .nopt, .optionParser: true
        default: false
        }
    }
}

/// How a command word is matched.
public enum CommandLookup: Sendable, Hashable {
    /// Only a name or an alias.
    case exact
    /// Also a prefix that only one command's name starts with (Symfony Console, Thor).
    case uniquePrefix
    /// A unique prefix of the word lowercased (RubyGems: `gem INSTALL`, `gem ins`).
    case uniquePrefixIgnoringCase
    /// As a nopt tool's command list reads it (``NoptCommands``, npm's `deref`): camelCase as kebab-case, then a
    /// name or alias, then a unique prefix of any name or alias. Subcommands are matched exactly.
    case nopt
}

/// What a word that is no command — or no command at all — does.
public enum Fallback: Sendable {
    /// Prints usage or reads: pass.
    case reads
    /// Runs the project script of that name (`composer test`): its code is judged; a word that names no
    /// script is the tool's error, which runs nothing.
    case projectScript
    /// Runs the program `prefix + word` with the remaining arguments (`brew foo` runs `brew-foo`).
    case runsProgram(prefix: String)
    /// A word naming one of these programs, with a version or not (`corepack pnpm@9 install`), runs it with
    /// the remaining arguments; any other word reads.
    case runsNamedProgram([String])
    /// Cannot be judged: ask (`port` with no action reads commands from stdin).
    case asks(Rule)
    /// Runs this command, with the options given (`yarn` alone is `yarn install`).
    case command(String)
    /// Runs the project script of that name, and where there is none the program of that name with the
    /// remaining arguments (`pnpm lint`, `pnpm eslint .`): both are judged.
    case projectScriptOrProgram
}

/// An option and what it means to the judge.
public struct DescribedOption: Sendable {
    /// Its spellings and whether it takes a value.
    public var option: OptionGrammar.Option
    /// What it means.
    public var role: OptionRole

    /// Creates an option: spellings, whether it takes a value (or an optional one), its role.
    public init(_ spellings: String..., value: Bool = false, optionalValue: Bool = false, role: OptionRole = .plain) {
        option = OptionGrammar.Option(spellings: spellings, value: value, optionalValue: optionalValue)
        self.role = role
    }

    /// Creates an option from a list of spellings.
    public init(spellings: [String], value: Bool = false, optionalValue: Bool = false, role: OptionRole = .plain) {
        option = OptionGrammar.Option(spellings: spellings, value: value, optionalValue: optionalValue)
        self.role = role
    }

    /// The canonical name (`--global` for `-g`).
    public var name: String { option.name }
}

/// What an option means to the judge.
public enum OptionRole: Sendable, Hashable {
    /// Nothing the judge needs.
    case plain
    /// Prints help or the version: the command does nothing else.
    case help
    /// The command only shows what it would do (`--dry-run`, `-s`, `--assumeno`).
    case dryRun
    /// Turns the command into a read (`pacman -S --search`, `snap refresh --list`).
    case reads
    /// The command runs in this directory (`composer -d DIR`).
    case workingDirectory
    /// Turns off the project's scripts (`--no-scripts`).
    case disablesScripts
    /// Means something only in global mode (`deno install -n NAME`): left out of the fix; in local mode
    /// of a versioned command, the modern tool refuses it, so the command passes.
    case globalOnly
    /// Refused by the modern tool in local mode (`deno install --allow-net URL` without `-g` fails under
    /// Deno 2): a versioned command given it passes. Kept in the fix.
    case refusedLocally
    /// Its value `KEY=CODE` (or `KEY::=CODE`, appending) runs CODE through `/bin/sh` when KEY is one of
    /// these, case-insensitively (apt's `-o DPkg::Pre-Invoke=…`): the code is judged as a command.
    case runsCode(keys: [String])
    /// Stands for a subcommand of its command (`dotnet new -i` is `dotnet new install`; `gem update --system`
    /// is the self-update its subcommand describes).
    case actsAs(String)
    /// A command that runs a command runs its arguments as shell code instead (`pnpm exec -c '…'`).
    case shellMode
}

/// How a settings command's operands name what it sets.
public enum SettingOperands: Sendable, Hashable {
    /// `KEY VALUE` (Composer's `config`, yarn's `config set`): a key alone sets nothing that moves installs.
    case keyValue
    /// `KEY VALUE`, or `KEY=VALUE` when no value follows (pnpm's `config set`, which splits a lone operand
    /// at its first `=`).
    case keyValueOrAssignment

    /// The keys `operands` set: a key only known when the line runs stays dynamic.
    public func keys(_ operands: [Argument]) -> [Argument] {
        let operands = operands.filter { $0.text != "--" }
        guard let first = operands.first else { return [] }
        if operands.count >= 2 { return [first] }
        switch self {
        case .keyValue:
            return []
        case .keyValueOrAssignment:
            if first.isDynamic { return [first] }
            guard let equals = first.text.firstIndex(of: "=") else { return [] }
            return [Argument(String(first.text[..<equals]), span: first.span)]
        }
    }
}

/// What a command does.
public enum CommandAction: Sendable {
    /// Installs, upgrades or changes packages: judged by its target.
    case installs
    /// Removes packages: judged by its target.
    case removes
    /// Changes settings that send later installs somewhere: judged by its target.
    case changesSettings
    /// The package manager changes itself: judged by its target (always global unless relocated).
    case selfUpdate
    /// Only reads, prints or computes: pass.
    case reads
    /// Runs the project script named by its first operand (`composer run-script test`).
    case runsScript
    /// Runs the command in its operands (after `--` when there is one).
    case runsCommand
    /// Fetches the package its first operand names and runs that package's program with the rest
    /// (`pnpm dlx cowsay@1 hi`): the spec's scope and version are not part of the program's name.
    case runsPackage
    /// Runs the project script of this name with the arguments after it (`pnpm test`).
    case runsScriptNamed(String)
    /// Runs the rest of the line, after this many operands, as a command of the same tool
    /// (`yarn workspace NAME add x`, `pnpm recursive add x`).
    case runsToolCommand(after: Int)
    /// Runs the rest of the line as a command of the same tool in global mode (`composer global require`).
    case globalScope
    /// Has subcommands (`dotnet tool install`); with none given, it prints usage.
    case group
    /// Cannot be judged statically (`dnf shell` reads commands from a file or stdin): ask with the
    /// command's rule.
    case asks
    /// Builds an executable at the value of this option: where commands are found it blocks with the
    /// command's rule, unknown asks, anywhere else it is a build artifact and passes.
    case buildsExecutable(outputOption: String)
    /// Works on the project found by one of `markers` in the working directory or above, or named by the
    /// file `manifestOption` gives (`cargo build --manifest-path …`): allowed with the command's rule. With
    /// neither there is no project: the tool fails, having changed nothing, and the command passes. With no
    /// markers, whatever directory it runs in is the project's (`go mod tidy`, `go mod init`). Its
    /// ``CommandDescription/creates`` are made.
    case worksOnProject(markers: [String], manifestOption: String?)
    /// Judged by the module, for what only one tool does (`go env -w`, GOPATH-mode `go get`): the generic
    /// judge has read the options, the working directory, help and dry runs.
    case judgedBy(CustomCommand)
    /// Runs the command after its first operand, which reaches it as this variable (`rustup run TOOLCHAIN
    /// CMD…` sets `RUSTUP_TOOLCHAIN`).
    case runsCommandAfterOperand(variable: String)
}

/// A command the module judges itself (see ``CommandAction/judgedBy(_:)``).
public struct CustomCommand: Sendable {
    /// The rules it can fire, for the module's list of rules.
    public let rules: [Rule]
    /// Judges the command.
    public let judge: @Sendable (CommandQuery) -> Judgement

    /// Creates a custom command.
    public init(rules: [Rule], judge: @escaping @Sendable (CommandQuery) -> Judgement) {
        self.rules = rules
        self.judge = judge
    }
}

/// A command as the generic judge read it, for a ``CustomCommand``.
public struct CommandQuery: Sendable {
    /// The invocation.
    public let invocation: Invocation
    /// The judgement's facts.
    public let context: JudgementContext
    /// The directory it works in, after the options that change it (`go -C DIR`).
    public let directory: String?
    /// The options given, in order, under their canonical names.
    public let options: [ParsedOptions.Found]
    /// Its operands.
    public let operands: [Argument]
    /// From its first operand on, for a command whose first operand ends its options
    /// (``CommandDescription/stopsAtFirstOperand``): the command line it runs.
    public var remainder: [Argument] = []
    /// The module id, for findings.
    public let ecosystem: String

    /// Whether an option was given.
    public func has(_ name: String) -> Bool { options.contains { $0.name == name } }
    /// The last time an option was given with a value.
    public func value(_ name: String) -> ParsedOptions.Found? { options.last { $0.name == name && $0.value != nil } }

    /// A finding about the command, with the rule's verdict unless another is given.
    public func finding(_ rule: Rule, _ reason: String, fix: String? = nil, verdict: Verdict? = nil) -> Finding {
        Finding(
            verdict: verdict ?? rule.verdict, ecosystem: ecosystem, rule: rule.id, span: invocation.span,
            reason: reason, fix: fix)
    }
}

/// Where the files a command creates (``CommandDescription/creates``) are made.
public enum CreatedIn: Sendable, Hashable {
    /// In the working directory (`dotnet new tool-manifest`).
    case workingDirectory
    /// In the directory its first operand names (`cargo new DIR`); with `orWorkingDirectory`, in the working
    /// directory when it names none (`cargo init`), else nowhere.
    case firstOperand(orWorkingDirectory: Bool)
}

/// An option naming the directory of a project the command works on (`cargo install --path DIR`), and the
/// file that marks such a directory (`Cargo.toml`): a location inside that project is the project's too,
/// and a fix made where the working directory is in no project uses that one.
public struct ProjectOption: Sendable, Hashable {
    /// The option, by canonical name.
    public var option: String
    /// The file the directory must hold.
    public var marker: String

    /// Creates a project option.
    public init(_ option: String, marker: String) {
        self.option = option
        self.marker = marker
    }
}

/// One command, its aliases and options, what it does and where.
public struct CommandDescription: Sendable {
    /// The name, then its aliases (`remove`, `rm`, `uninstall`).
    public var names: [String]
    /// What it does.
    public var action: CommandAction
    /// Its own options.
    public var options: [DescribedOption]
    /// Its subcommands, for a ``CommandAction/group``.
    public var subcommands: [CommandDescription]
    /// Where it installs, for installs, removals, settings and self-updates.
    public var target: Target?
    /// The rule for an ``CommandAction/asks`` command.
    public var rule: Rule?
    /// The project's lifecycle scripts it runs (`post-install-cmd`), unless scripts are turned off.
    public var lifecycleScripts: [String]
    /// Whether lifecycle scripts run only when it names no packages (`npm install` vs `npm install x`).
    public var lifecycleScriptsOnlyWithoutOperands: Bool
    /// The fix for a block: a ``CommandTemplate``; `nil` uses the command without its global options.
    public var fix: CommandTemplate?
    /// The command that undoes it, for `toolguard audit`; `nil` when none is clear.
    public var undo: CommandTemplate?
    /// Lifecycle scripts that run instead of ``lifecycleScripts`` when this file is in the working
    /// directory (`composer install` with a `composer.lock` runs `*-install-cmd`, without one `*-update-cmd`).
    public var lifecycleScriptsWith: (file: String, scripts: [String])?
    /// For ``CommandAction/changesSettings``: the keys that choose a location (`vendor-dir`); setting another
    /// key, or only reading one, passes.
    public var settingKeys: Set<String>
    /// Files it creates, relative to the working directory (`dotnet new tool-manifest`).
    public var creates: [String]
    /// The fix for a block in global mode, when it differs from ``fix`` (`composer require --dev X` for
    /// `composer global require X`).
    public var globalFix: CommandTemplate?
    /// Fixes chosen by an option given (`brew install --cask X` is recorded as `cask "X"`).
    public var fixWhenOption: [String: CommandTemplate]
    /// With no operands, the command writes only when one of these options is given (`pacman -S` alone or
    /// `-Sy` only refreshes the package lists; `-Su` upgrades): otherwise it passes. `nil`: always writes.
    public var writesWithoutOperandsOnly: Set<String>?
    /// The subcommand a group runs when none is given (`brew bundle` is `brew bundle install`).
    public var defaultSubcommand: String?
    /// Where ``creates`` are made.
    public var createdIn: CreatedIn
    /// An option naming the project the command works on (`cargo install --path DIR`).
    public var projectOption: ProjectOption?
    /// The command writes only when one of these options is given (`go clean -i`); otherwise it passes.
    public var writesOnlyWith: Set<String>?
    /// Whether its first operand ends its options: the rest is another program's command line (`gem exec`).
    public var stopsAtFirstOperand = false
    /// For a command with ``settingKeys``: how its operands name the settings it sets.
    public var settingOperands = SettingOperands.keyValue

    /// Creates a command.
    public init(
        _ names: String..., action: CommandAction, options: [DescribedOption] = [],
        subcommands: [CommandDescription] = [], target: Target? = nil, rule: Rule? = nil,
        lifecycleScripts: [String] = [], lifecycleScriptsOnlyWithoutOperands: Bool = false,
        fix: CommandTemplate? = nil, undo: CommandTemplate? = nil,
        lifecycleScriptsWith: (file: String, scripts: [String])? = nil, settingKeys: Set<String> = [],
        creates: [String] = [], fixWhenOption: [String: CommandTemplate] = [:],
        writesWithoutOperandsOnly: Set<String>? = nil, defaultSubcommand: String? = nil,
        createdIn: CreatedIn = .workingDirectory, projectOption: ProjectOption? = nil,
        writesOnlyWith: Set<String>? = nil
    ) {
        self.init(
            names: names, action: action, options: options, subcommands: subcommands, target: target, rule: rule,
            lifecycleScripts: lifecycleScripts,
            lifecycleScriptsOnlyWithoutOperands: lifecycleScriptsOnlyWithoutOperands,
            fix: fix, undo: undo, lifecycleScriptsWith: lifecycleScriptsWith, settingKeys: settingKeys,
            creates: creates,
            fixWhenOption: fixWhenOption, writesWithoutOperandsOnly: writesWithoutOperandsOnly,
            defaultSubcommand: defaultSubcommand, createdIn: createdIn, projectOption: projectOption,
            writesOnlyWith: writesOnlyWith)
    }

    /// Creates a command from a list of names.
    public init(
        names: [String], action: CommandAction, options: [DescribedOption] = [],
        subcommands: [CommandDescription] = [], target: Target? = nil, rule: Rule? = nil,
        lifecycleScripts: [String] = [], lifecycleScriptsOnlyWithoutOperands: Bool = false,
        fix: CommandTemplate? = nil, undo: CommandTemplate? = nil,
        lifecycleScriptsWith: (file: String, scripts: [String])? = nil, settingKeys: Set<String> = [],
        creates: [String] = [], fixWhenOption: [String: CommandTemplate] = [:],
        writesWithoutOperandsOnly: Set<String>? = nil, defaultSubcommand: String? = nil,
        createdIn: CreatedIn = .workingDirectory, projectOption: ProjectOption? = nil,
        writesOnlyWith: Set<String>? = nil
    ) {
        self.writesOnlyWith = writesOnlyWith
        self.createdIn = createdIn
        self.projectOption = projectOption
        self.fixWhenOption = fixWhenOption
        self.writesWithoutOperandsOnly = writesWithoutOperandsOnly
        self.defaultSubcommand = defaultSubcommand
        self.lifecycleScriptsWith = lifecycleScriptsWith
        self.settingKeys = settingKeys
        self.creates = creates
        self.names = names
        self.action = action
        self.options = options
        self.subcommands = subcommands
        self.target = target
        self.rule = rule
        self.lifecycleScripts = lifecycleScripts
        self.lifecycleScriptsOnlyWithoutOperands = lifecycleScriptsOnlyWithoutOperands
        self.fix = fix
        self.undo = undo
    }

    /// The canonical name.
    public var name: String { names[0] }
}

/// Where a command writes, and which rule speaks for each case.
///
/// Global mode is chosen by a selector (`-g`, a variable, the `global` scope, or always); its location is
/// the first source that is given (`--root DIR`, `DENO_INSTALL_ROOT`, then the default `~/.deno`). In
/// local mode an explicit location (`--tool-path DIR`) is judged by where it points; otherwise the
/// command is the project's, subject to ``local``.
public struct Target: Sendable {
    /// What makes the command global. Empty: always global.
    public var globalWhen: [Selector]
    /// Where global mode writes: the first source that applies.
    public var globalLocation: [LocationSource]
    /// Where global mode puts the packages' executables, when that is chosen apart from
    /// ``globalLocation`` (bun's bin directory): the first source that applies. Both places are judged
    /// and the stricter decides: a global install is the project's only when both are inside it.
    public var globalCommandLocation: [LocationSource]
    /// Explicit locations in local mode, judged by where they point.
    public var localLocation: [LocationSource]
    /// Fires when the command writes a global location (block), or one not known (ask).
    public var globalRule: Rule
    /// Fires when an explicit location points outside the project (block) or is unknown (ask);
    /// `nil`: ``globalRule``. In global mode it fires only for an unknown location, unless
    /// ``explicitGlobalRule`` is set.
    public var locationRule: Rule?
    /// Whether an explicit global location (`--root`, `DENO_INSTALL_ROOT`) outside the project fires
    /// ``locationRule`` rather than ``globalRule``.
    public var explicitGlobalRule: Bool
    /// Fires when the command writes inside the project (allow).
    public var allowRule: Rule
    /// What local mode needs to be the project's.
    public var local: LocalRequirement
    /// A description of the global place when no source names a path (`the running deno executable`).
    public var globalPlaceDescription: String?
    /// The rule a place from this source fires when it is not the project's, where it differs from the
    /// target's own (`--user-install`'s `~/.gem`).
    public var sourceRules: [LocationSource: Rule] = [:]

    /// Creates a target.
    public init(
        globalWhen: [Selector], globalLocation: [LocationSource] = [], globalCommandLocation: [LocationSource] = [],
        localLocation: [LocationSource] = [], globalRule: Rule, locationRule: Rule? = nil,
        explicitGlobalRule: Bool = false, allowRule: Rule, local: LocalRequirement = .none,
        globalPlaceDescription: String? = nil
    ) {
        self.globalCommandLocation = globalCommandLocation
        self.explicitGlobalRule = explicitGlobalRule
        self.globalWhen = globalWhen
        self.globalLocation = globalLocation
        self.localLocation = localLocation
        self.globalRule = globalRule
        self.locationRule = locationRule
        self.allowRule = allowRule
        self.local = local
        self.globalPlaceDescription = globalPlaceDescription
    }
}

/// What selects global mode.
public enum Selector: Sendable, Hashable {
    /// An option, by canonical name (`--global`).
    case option(String)
    /// A variable set to a true value (`npm_config_global=1`).
    case environment(String)
    /// A variable set to anything but one of the values the tool reads as on (lowercased), where what it
    /// turns off keeps installs in the project (`POETRY_VIRTUALENVS_CREATE=false`: no virtualenv, so the
    /// interpreter the tool runs with; poetry reads only `true` and `1` as on).
    case environmentOff(String, on: [String])
    /// Nothing: the command only ever writes the project (`poetry lock`).
    case never
    /// The command names no operands (`yarn link` alone registers this package in a user-wide folder).
    case withoutOperands
    /// The command runs under a ``CommandAction/globalScope`` (`composer global …`).
    case scope
    /// The working directory is where this source points (`composer -d $COMPOSER_HOME`).
    case directoryIs(LocationSource)
}

/// One place a location can come from, tried in order.
public enum LocationSource: Sendable, Hashable {
    /// An option's value, plus `suffix` (`--root DIR` writes `DIR/bin`).
    case option(String, suffix: String = "")
    /// A variable's value when set and not empty, plus `suffix`.
    case environment(String, suffix: String = "")
    /// A fixed path; `~` is the home directory.
    case path(String)
    /// An option without a value that chooses a place (`--user-install`: `~/.gem`) unless `negation` comes
    /// after it; with no path, the tool's own global place, described as `place` (`--vendor`).
    case flag(String, path: String?, negation: String? = nil, place: String = "")
    /// The first of these paths that exists, else the first (`~/.config/composer`, `~/.composer`).
    case firstExisting([String])
    /// A string value in a JSON file of the project (`composer.json` `config.vendor-dir`), read through
    /// the judgement's file facts; relative values are relative to the file's directory.
    case projectJSON(file: String, keyPath: [String])
    /// A string value at `key` of `[table]` in the first of these TOML settings files that sets it, read
    /// through the judgement's file facts (bun's `[install] globalDir`). A relative file name is the
    /// project's, found from the working directory up; `~/…` is under the home directory and `$NAME/…`
    /// under a variable's directory (skipped when it is unset). Relative values are relative to the
    /// file's directory; `~` is the home directory.
    case tomlSetting(files: [String], table: String, key: String)
    /// A location only the module can work out from the command (cargo's `install.root`, which `--config`
    /// or a cargo config file sets). Counts as explicit, like an option or a variable.
    case custom(CustomLocation)
}

/// A location source the module computes: one function, told apart by its name.
public struct CustomLocation: Sendable, Hashable {
    /// Names the source (`install.root`); two sources with the same name are the same.
    public let name: String
    /// Works the location out, and finds the arguments that set it.
    public let resolve: @Sendable (LocationQuery) -> CustomResolution

    /// Creates a source.
    public init(_ name: String, resolve: @escaping @Sendable (LocationQuery) -> CustomResolution) {
        self.name = name
        self.resolve = resolve
    }

    public static func == (lhs: CustomLocation, rhs: CustomLocation) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// What a ``CustomLocation`` may read: the command's options, environment and directory, and the
/// judgement's facts (files are read through ``JudgementContext/files``).
public struct LocationQuery: Sendable {
    /// The command being judged (its program word as written: the interpreter a module's environment is
    /// found from).
    public let invocation: Invocation
    /// The options given, in order, under their canonical names.
    public let options: [ParsedOptions.Found]
    /// The command's operands.
    public let operands: [Argument]
    /// The command's environment.
    public let environment: Environment
    /// The working directory, when known.
    public let directory: String?
    /// The judgement's facts.
    public let context: JudgementContext

    /// The last value given to an option.
    public func value(_ name: String) -> Argument? { options.last { $0.name == name }?.value }
}

/// What a ``CustomLocation`` found.
public struct CustomResolution: Sendable {
    /// The location, when the source sets one: its value, the directory a relative value is relative to
    /// (`nil`: the working directory), and what set it, for reasons.
    public var location: (value: Value, relativeTo: String?, source: String)?
    /// The arguments that set it (whether or not they win), left out of fixes.
    public var written: [Argument]
    /// The assignment that keeps it when the environment is reset (`GOBIN=/p/bin`), for an allowed one.
    public var assignment: String?
    /// Why the tool refuses to run with it (`go` and a relative GOBIN): the command passes.
    public var refusal: String?
    /// An environment of the command's own that it writes, wherever that stands (a Python virtual
    /// environment, a named conda environment), described for reasons: no other project's and nothing
    /// shared, so the command is allowed.
    public var isolated: String?
    /// A place every project shares that the command writes, with no path to judge (the system Python
    /// `--break-system-packages` opens, conda's base environment), described for reasons: the command is
    /// blocked.
    public var shared: String?
    /// The rule this source's place fires, whether it allows, blocks or asks, where it differs from the
    /// target's (a named conda environment's, the system Python's).
    public var rule: Rule?
    /// Whether what decided came from the tool's own settings files (pip's configuration): a module's fix can
    /// then run the command without them.
    public var fromSettingsFile = false

    /// Creates a resolution.
    public init(
        location: (value: Value, relativeTo: String?, source: String)? = nil, written: [Argument] = [],
        assignment: String? = nil, refusal: String? = nil, isolated: String? = nil, shared: String? = nil,
        rule: Rule? = nil
    ) {
        self.isolated = isolated
        self.shared = shared
        self.rule = rule
        self.location = location
        self.written = written
        self.assignment = assignment
        self.refusal = refusal
    }
}

/// What local mode needs.
public enum LocalRequirement: Sendable {
    /// Nothing: local mode is the project's.
    case none
    /// A project root above the working directory (not the home directory): without one, this rule fires.
    case needsProject(Rule)
    /// One of these files in the working directory or above, else this rule fires: the command's meaning
    /// depends on them (Deno 1's `deno install URL` was global; Deno 2's adds to deno.json). With
    /// `onlyWithOperands`, a command naming no packages needs none.
    case needsMarkers([String], Rule, onlyWithOperands: Bool)
    /// The directory the command writes must not be shared: the owner of the nearest of `markers` (a
    /// relative path: `.config/dotnet-tools.json` is owned by the directory holding `.config`), or of the
    /// file `option` names, else the project root (with `fallsBackToProjectRoot`) or the working directory.
    /// The home directory or one of its ancestors is shared: the rule fires.
    case notShared(markers: [String], option: String?, fallsBackToProjectRoot: Bool, rule: Rule)
    /// The tool's major version decides: `file`'s JSON `key` (`deno.lock` `version`) at or above `modern`
    /// makes the command local; below it, global mode; no file, `rule` asks. With `onlyWithOperands`, a
    /// command naming nothing needs no version.
    case versioned(file: String, key: String, modern: Int, rule: Rule, onlyWithOperands: Bool)
    /// The tool refuses the command in local mode (`pnpm env use` without `--global`): it passes.
    case refused
}

/// Where the project's scripts live and how their entries are written.
public struct ScriptSource: Sendable {
    /// The manifest's file name, found in the working directory or above (`composer.json`).
    public var manifest: String
    /// The key of its script table (`scripts`).
    public var table: String
    /// Directories of the project put first on PATH (`vendor/bin`).
    public var pathPrefixes: [String]
    /// The scripts `run X` runs, around X (`["pre{}", "{}", "post{}"]`); `{}` is X.
    public var around: [String]
    /// How the entries are written (lists, `@php` …).
    public var entries: ScriptEntries
    /// A variable that renames the manifest (`COMPOSER=composer-dev.json`).
    public var manifestVariable: String?
    /// Whether every ancestor's ``pathPrefixes`` come after the manifest directory's (npm's run-script puts
    /// each ancestor's `node_modules/.bin` on PATH).
    public var ancestorPathPrefixes: Bool

    /// Creates a script source.
    public init(
        manifest: String, table: String = "scripts", pathPrefixes: [String] = [], around: [String] = ["{}"],
        entries: ScriptEntries = ScriptEntries(), manifestVariable: String? = nil, ancestorPathPrefixes: Bool = false
    ) {
        self.ancestorPathPrefixes = ancestorPathPrefixes
        self.manifestVariable = manifestVariable
        self.manifest = manifest
        self.table = table
        self.pathPrefixes = pathPrefixes
        self.around = around
        self.entries = entries
    }
}

/// A command written from the command being judged, for fixes and undos.
///
/// Placeholders: `{program}` the program as written (`composer`, `php composer.phar`); `{command}` the whole
/// command without the options and words that make it global; `{head}` the same up to the command word,
/// `{arguments}` after it; `{operands}` the command's operands; `{name}` the command's canonical name;
/// `{project}` the project's directory relative to the working directory (`.`, `..`; see
/// ``CommandDescription/projectOption``), `{named}` the directory the project option names;
/// `{--option:prefix}` the option's value after `prefix` when it is given, else nothing
/// (`{--version:@}`); `{$project}` the project's directory as the shell's own `$PWD` reaches it
/// (`$PWD/..`), for an assignment read before the tool changes directory; `{written}` the command exactly as
/// written; `{operand}` its first operand; `{name|default}` a placeholder's default when it comes out empty. `prefixUnlessFound` is put first when none of its files is in the working directory
/// or above (`dotnet new tool-manifest && `).
public struct CommandTemplate: Sendable, Hashable {
    /// The text with placeholders.
    public var text: String
    /// Files whose absence adds ``prefix``.
    public var prefixUnlessFound: [String]
    /// The prefix.
    public var prefix: String
    /// Put first when the working directory is in no project, or is shared (`mkdir -p ~/p && cd ~/p && `);
    /// the options that choose the working directory are then left out.
    public var prefixWithoutProject: String
    /// Where the working directory is in no project: the first case that holds writes the fix instead, with
    /// `{text}` standing for the template's own text (`cargo new tools && cd tools && {text}`).
    public var withoutProjectCases: [TemplateCase]
    /// The text used instead when the command names no operands (`pnpm install -g` alone has no
    /// package to add: `pnpm install`).
    public var withoutOperands: String?

    /// Creates a template.
    public init(
        _ text: String, prefix: String = "", unlessFound: [String] = [], withoutProject: String = "",
        withoutOperands: String? = nil, withoutProjectCases: [TemplateCase] = []
    ) {
        self.withoutOperands = withoutOperands
        self.withoutProjectCases = withoutProjectCases
        self.prefixWithoutProject = withoutProject
        self.text = text
        self.prefix = prefix
        self.prefixUnlessFound = unlessFound
    }
}

/// One way to write a fix where the working directory is in no project.
public struct TemplateCase: Sendable, Hashable {
    /// When it applies.
    public enum Condition: Sendable, Hashable {
        /// This path, relative to the working directory, exists (`tools/Cargo.toml`).
        case exists(String)
        /// This directory, relative to the working directory, exists.
        case isDirectory(String)
        /// The working directory is the home directory or below it: no new project is invented there.
        case inHome
        /// The directory the project option names holds its marker but is in no project (the home directory).
        case namedDirectoryWithoutProject
        /// Always.
        case always
    }

    /// When it applies.
    public var condition: Condition
    /// The fix, with the template's placeholders and `{text}`.
    public var text: String

    /// Creates a case.
    public init(_ condition: Condition, _ text: String) {
        self.condition = condition
        self.text = text
    }
}

/// How a manifest writes its script entries, beyond a string of shell code.
///
/// Composer's `scripts` hold a string or a list of strings run in order, and entries starting with `@`:
/// `@php …` and `@composer …` run PHP or Composer, `@putenv K=V` sets a variable for the entries after it,
/// and `@name` runs the script `name`.
public struct ScriptEntries: Sendable, Hashable {
    /// Whether an entry may be a list of strings, run one after another.
    public var allowsLists: Bool
    /// Leading words rewritten to shell (`@php` → `php`, `@putenv` → `export`).
    public var rewrites: [String: String]
    /// The marker of a reference to another script (`@`) and the command that runs it
    /// (`composer run-script`); `nil` when entries cannot refer to scripts.
    public var reference: (marker: String, runner: String)? {
        referenceMarker.map { ($0, referenceRunner) }
    }
    private var referenceMarker: String?
    private var referenceRunner: String
    /// For an entry that is an object (deno.json's `{"command": …, "dependencies": […]}`): the key of its
    /// code, and of the scripts that run first (run with the reference runner).
    public var objectCommandKey: String?
    /// See ``objectCommandKey``.
    public var objectDependenciesKey: String?

    /// Plain strings of shell code (package.json).
    public init() {
        objectCommandKey = nil
        objectDependenciesKey = nil
        allowsLists = false
        rewrites = [:]
        referenceMarker = nil
        referenceRunner = ""
    }

    /// Entries with lists, rewrites and references.
    public init(
        allowsLists: Bool, rewrites: [String: String], referenceMarker: String?, referenceRunner: String,
        objectCommandKey: String? = nil, objectDependenciesKey: String? = nil
    ) {
        self.objectCommandKey = objectCommandKey
        self.objectDependenciesKey = objectDependenciesKey
        self.allowsLists = allowsLists
        self.rewrites = rewrites
        self.referenceMarker = referenceMarker
        self.referenceRunner = referenceRunner
    }

    /// Whether these are plain strings of shell code.
    public var isPlain: Bool { !allowsLists && rewrites.isEmpty && referenceMarker == nil && objectCommandKey == nil }

    /// The runner of a script named by another (`composer run-script`, `deno task`).
    public var runner: String { referenceRunner }

    /// One entry as shell code: lists joined into lines, each line's leading word rewritten.
    public func shellCode(_ lines: [String]) -> String {
        lines.map { line in
            var text = Substring(line)
            while text.first == " " { text = text.dropFirst() }
            let word = text.prefix { $0 != " " && $0 != "\t" }
            if let replacement = rewrites[String(word)] {
                return replacement + text.dropFirst(word.count)
            }
            if let marker = referenceMarker, word.hasPrefix(marker), word.count > marker.count {
                return referenceRunner + " " + word.dropFirst(marker.count) + text.dropFirst(word.count)
            }
            return String(text)
        }.joined(separator: "\n")
    }
}
