public import GuardKit

/// Ruby: RubyGems (`gem`) and Bundler (`bundle`), and the commands that start them (`ruby -S gem`,
/// `bundle exec`, `rbenv exec`, `rvm … do`, `chruby-exec`).
///
/// A Ruby installation has one default GEM_HOME (its own gem directory, or `~/.gem` with
/// `--user-install`) that every project using that Ruby shares, whatever path the `gem` executable has:
/// a version manager's Ruby is still shared by all of the user's projects. So `gem install` is global
/// unless it is pointed inside the project (`--install-dir`, `GEM_HOME`). Bundler installs what the
/// project's Gemfile lists: with a configured path the path decides, and without one Bundler (up to 4)
/// puts the gems into GEM_HOME side by side with other versions, which SPEC §5 allows.
public struct Ruby: Ecosystem {
    public let id = "ruby"
    public let summary = "gem and bundler: gems go into the project's bundle or an install directory inside it."
    public let programs = ["gem", "bundle", "bundler", "ruby", "rbenv", "rvm", "chruby-exec"]
    public let projectMarkers = ["Gemfile", "gems.rb"]

    /// Creates the module.
    public init() {}

    /// `ruby -e CODE`.
    public let inlineCodeOptions: [String: Set<String>] = ["ruby": ["-e"]]
    /// gem's and Bundler's install verbs, and Bundler's `--system`.
    public let operationWords: Set<String> = ["install", "uninstall", "update", "add", "remove", "--system"]

    /// Every rule the module can fire.
    public let rules = [
        Ruby.gemGlobal, Ruby.userInstall, Ruby.installLocation, Ruby.gemSystemUpdate, Ruby.bundleSystem,
        Ruby.bundleConfig, Ruby.dynamicCommand, Ruby.localLocation, Ruby.bundleProject,
    ]

    /// `ruby.gem-global`.
    public static let gemGlobal = Rule(
        id: "ruby.gem-global", verdict: .block,
        summary:
            "Installing, updating or removing gems in the default GEM_HOME changes them for every project that uses this Ruby."
    )

    /// `ruby.user-install`.
    public static let userInstall = Rule(
        id: "ruby.user-install", verdict: .block,
        summary: "`--user-install` installs into ~/.gem, which every project of this user sees.")

    /// `ruby.install-location`.
    public static let installLocation = Rule(
        id: "ruby.install-location", verdict: .block,
        summary:
            "An explicit install location (`--install-dir`, `--bindir`, GEM_HOME, the bundle path) outside the project is shared."
    )

    /// `ruby.gem-system-update`.
    public static let gemSystemUpdate = Rule(
        id: "ruby.gem-system-update", verdict: .block,
        summary: "`gem update --system` replaces RubyGems itself in the Ruby installation.")

    /// `ruby.bundle-system`.
    public static let bundleSystem = Rule(
        id: "ruby.bundle-system", verdict: .block,
        summary: "Bundler told to use the system gems (`--system`, BUNDLE_PATH__SYSTEM) installs the bundle there.")

    /// `ruby.bundle-config`.
    public static let bundleConfig = Rule(
        id: "ruby.bundle-config", verdict: .block,
        summary: "A Bundler setting that sends every later install to the system gems or a path outside the project.")

    /// `ruby.dynamic-command`.
    public static let dynamicCommand = Rule(
        id: "ruby.dynamic-command", verdict: .ask,
        summary: "The gem or bundle command is only known when the line runs.")

    /// `ruby.local-location`.
    public static let localLocation = Rule(
        id: "ruby.local-location", verdict: .allow, summary: "The explicit install location is inside the project.")

    /// `ruby.bundle-project`.
    public static let bundleProject = Rule(
        id: "ruby.bundle-project", verdict: .allow, summary: "Bundler installs what the project's Gemfile lists.")

    /// Patterns that are global in every context. Plain `gem install *` is not one (GEM_HOME may point
    /// into the project), nor is `--user-install` (`--build-root` inside the project keeps it there).
    public let denyPatterns = [
        "Bash(gem update --system*)", "Bash(sudo gem install *)", "Bash(sudo gem update *)",
        "Bash(sudo gem uninstall *)", "Bash(bundle install --system*)", "Bash(bundle config set path.system true*)",
        "Bash(bundle config set --global path.system true*)", "Bash(bundle config path.system true*)",
    ]

    public func judge(_ invocation: Invocation, in context: JudgementContext) -> Judgement {
        let reader = RubyCommand(module: self, invocation: invocation, context: context)
        switch invocation.program {
        case "gem": return reader.gem()
        case "bundle", "bundler": return reader.bundle()
        case "ruby": return reader.ruby()
        case "rbenv", "rvm", "chruby-exec": return reader.versionManager()
        default: return Judgement()
        }
    }
}

// MARK: - Reading one command

/// One Ruby command being read: the invocation, the facts, and the module's rules.
struct RubyCommand {
    let module: Ruby
    let invocation: Invocation
    let context: JudgementContext

    var environment: Environment { invocation.environment }
    var directory: String? { invocation.directory }
    var projectRoot: String? { context.projectRoot(of: directory) }

    func display(_ path: String) -> String {
        let shown = Paths.display(path, from: directory)
        return shown.hasPrefix("/") || shown == "." ? shown : "./" + shown
    }

    func finding(
        _ rule: Rule, _ reason: String, fix: String? = nil, verdict: Verdict? = nil
    ) -> Finding {
        module.finding(rule, invocation, reason: reason, fix: fix, verdict: verdict)
    }

    func note(_ text: String) -> Judgement { Judgement(findings: [], notes: [text]) }

    func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    // MARK: The project's Gemfile

    /// Where Bundler's Gemfile is: `--gemfile`, BUNDLE_GEMFILE, or the nearest `gems.rb` or `Gemfile`
    /// walking up from the directory, as Bundler searches.
    struct Gemfile {
        /// Whether Bundler would find one (an explicit or dynamic one counts).
        var found: Bool
        /// Its directory, Bundler's root, when known.
        var root: String?
        /// Its path, when known.
        var path: String?
    }

    func gemfile(option: Argument? = nil) -> Gemfile {
        let explicit = option?.value ?? environment["BUNDLE_GEMFILE"].flatMap { $0.text.isEmpty ? nil : $0 }
        if let explicit {
            let path = context.absolutePath(explicit, relativeTo: directory)
            return Gemfile(found: true, root: path.map(Paths.parent), path: path)
        }
        guard let directory else { return Gemfile(found: false) }
        let candidates = ["gems.rb", "Gemfile"].compactMap { name in
            context.nearestAncestor(of: directory, holding: name).map { ($0, name) }
        }
        guard let (root, name) = candidates.max(by: { $0.0.count < $1.0.count }) else { return Gemfile(found: false) }
        return Gemfile(found: true, root: root, path: (root == "/" ? "" : root) + "/" + name)
    }

    // MARK: Locations

    /// An explicit location, judged: inside the project allows, outside blocks, unknown asks.
    func locate(
        _ location: Location, described: String, rule: Rule, fix: String, allowFix: String? = nil,
        what: String = "gems"
    ) -> Finding {
        switch location {
        case .inside(let path, _):
            // The fix of an allow is what to suggest if `sudo` turns it into a block: the command as
            // it runs here, with the environment it depends on.
            return finding(
                Ruby.localLocation, capitalized(described) + " is inside the project (\(display(path))).",
                fix: allowFix, verdict: .allow)
        case .outside(let path):
            return finding(rule, capitalized(described) + " puts \(what) in \(path), outside the project.", fix: fix)
        case .unresolvable:
            return finding(rule, Reasons.onlyKnownWhenRun(capitalized(described)), fix: fix, verdict: .ask)
        }
    }

    /// This command as written, run with one more variable: what `sudo` must keep for it to stay here.
    func withEnvironment(_ name: String, _ value: String) -> String {
        Quoting.command([name + "=" + value] + invocation.arguments.map(\.text))
    }

    /// The project's own gem directory for a fix, written from the current directory.
    var vendorGems: String? { projectRoot.map { display($0 + "/vendor/gems") } }

    // MARK: gem

    /// The project-local way to do what a gem command meant.
    func gemFix(
        _ command: String, parsed: ParsedOptions, names: [Argument], arguments: [Argument], preferInstallDir: Bool
    ) -> String {
        let rendered = names.map(Quoting.argument)
        switch command {
        case "install":
            if parsed.has("--file") {
                var words = ["bundle", "install"]
                if let file = parsed.value("--file"), !["Gemfile", "gems.rb"].contains(Paths.basename(file.text)) {
                    words += ["--gemfile", Quoting.argument(file)]
                }
                return bundleFix(words)
            }
            if let bundler = bundlerFix(names, version: parsed.value("--version")) { return bundler }
            let files = names.filter(isGemFile)
            if let vendor = vendorGems, preferInstallDir || !files.isEmpty {
                return installDirFix("install", vendor: vendor, arguments: arguments, parsed: parsed)
            }
            if files.isEmpty {
                let setting = buildFlagsSetting(names, parsed.afterDoubleDash)
                return (gemfile().found ? "" : "bundle init && ") + setting
                    + bundleAddFix(names, version: parsed.value("--version"))
            }
            return Quoting.command(["gem", "unpack"]) + " " + files.map(Quoting.argument).joined(separator: " ")
        case "update":
            if let bundler = bundlerFix(names, version: nil) { return bundler }
            if let vendor = vendorGems, preferInstallDir {
                return installDirFix("update", vendor: vendor, arguments: arguments, parsed: parsed)
            }
            return bundleFix(["bundle", "update"] + (rendered.isEmpty ? ["--all"] : rendered))
        case "uninstall":
            if let vendor = vendorGems, preferInstallDir {
                return installDirFix("uninstall", vendor: vendor, arguments: arguments, parsed: parsed)
            }
            return bundleFix(rendered.isEmpty ? ["bundle", "clean"] : ["bundle", "remove"] + rendered)
        case "pristine":
            return bundleFix(["bundle", "pristine"] + rendered)
        case "cleanup":
            return bundleFix(["bundle", "clean"])
        default:
            return gemExecFix(parsed: parsed, arguments: arguments)
        }
    }

    /// `gem install NAME -- FLAGS` builds NAME's extension with FLAGS; Bundler keeps them as the
    /// project's `build.NAME` setting.
    func buildFlagsSetting(_ names: [Argument], _ flags: [Argument]) -> String {
        guard names.count == 1, !flags.isEmpty, !names[0].isDynamic else { return "" }
        let name = String(names[0].text.prefix { $0 != ":" })
        let setting =
            (["bundle", "config", "set", "--local", "build." + name].map(Quoting.word)
            + flags.map(Quoting.argument)).joined(separator: " ")
        return setting + " && "
    }

    /// Bundler itself: a project pins its version in Gemfile.lock, and RubyGems switches to the locked
    /// version by itself; every Ruby since 2.6 ships one.
    func bundlerFix(_ names: [Argument], version: Argument?) -> String? {
        guard names.count == 1, !names[0].isDynamic else { return nil }
        let parts = names[0].text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.first == "bundler" else { return nil }
        guard gemfile().found else { return "bundle init" }
        let requirement = parts.count > 1 ? parts[1] : version?.text
        // `--bundler` takes a version only attached: a separate word would be read as a gem name.
        return bundleFix(["bundle", "update", requirement.map { "--bundler=" + Quoting.word($0) } ?? "--bundler"])
    }

    func isGemFile(_ argument: Argument) -> Bool {
        argument.text.hasSuffix(".gem") || argument.text.contains("/")
    }

    /// `gem COMMAND --install-dir ./vendor/gems …`, without the options that chose another place.
    func installDirFix(_ command: String, vendor: String, arguments: [Argument], parsed: ParsedOptions) -> String {
        let kept = removing(Ruby.gemLocationOptions, from: arguments, parsed: parsed)
        return (["gem", command, "--install-dir", Quoting.word(vendor)] + kept.map(Quoting.argument))
            .joined(separator: " ")
    }

    /// `arguments` without the options named (and their values), as they were written.
    func removing(_ names: Set<String>, from arguments: [Argument], parsed: ParsedOptions) -> [Argument] {
        var dropped = ArgumentCounts()
        for found in parsed.found where names.contains(found.name) {
            dropped.add(found.written)
            if let value = found.value, value != found.written { dropped.add(value) }
        }
        return arguments.filter { !dropped.take($0) }
    }

    /// `bundle add NAME…` (the caller runs `bundle init` first when there is no Gemfile yet).
    func bundleAddFix(_ names: [Argument], version: Argument?) -> String {
        var words = ["bundle", "add"]
        // `gem install rails:7.1.3` is RubyGems' NAME:VERSION form.
        let split = names.map { name -> (String, String?) in
            guard !name.isDynamic, let colon = name.text.firstIndex(of: ":") else {
                return (Quoting.argument(name), nil)
            }
            return (Quoting.word(String(name.text[..<colon])), String(name.text[name.text.index(after: colon)...]))
        }
        words += split.map(\.0)
        if split.count == 1, let requirement = split[0].1 ?? version.map(\.text) {
            words += ["--version", Quoting.word(requirement)]
        }
        return bundleFix(words)
    }

    /// `gem exec` with a GEM_HOME inside the project, or through a bundle when there is no project.
    func gemExecFix(parsed: ParsedOptions, arguments: [Argument]) -> String {
        if let vendor = vendorGems {
            return (["GEM_HOME=" + Quoting.word(vendor), "gem", "exec"] + arguments.map(Quoting.argument))
                .joined(separator: " ")
        }
        // `gem exec rubocop@1.60` names the gem and its version; `-g GEM` names the gem separately.
        let written = parsed.remainder.first?.text ?? ""
        let executable = String(written.prefix { $0 != ":" && $0 != "@" })
        let gemName = parsed.value("--gem")?.text ?? executable
        let add = (gemfile().found ? "" : "bundle init && ") + bundleFix(["bundle", "add", Quoting.word(gemName)])
        return add + " && "
            + (["bundle", "exec", Quoting.word(executable)]
            + parsed.remainder.dropFirst().map(Quoting.argument)).joined(separator: " ")
    }

    /// A newer RubyGems kept in the project instead of replacing the interpreter's.
    func rubygemsUpdateFix(version: Argument?) -> String {
        let versionWords = version.map { " --version " + Quoting.argument($0) } ?? ""
        if let vendor = vendorGems {
            return "gem install --install-dir \(Quoting.word(vendor)) rubygems-update" + versionWords
        }
        return "gem fetch rubygems-update" + versionWords
    }

    // MARK: bundle

    /// A bundler command for a fix, without the options that made it use another place.
    func fixWords(_ command: String, _ arguments: [Argument], parsed: ParsedOptions, dropping names: Set<String>)
        -> [String]
    {
        ["bundle", command] + removing(names, from: arguments, parsed: parsed).map(Quoting.argument)
    }

    func allowProject(_ reason: String) -> Judgement {
        Judgement(findings: [finding(Ruby.bundleProject, reason, verdict: .allow)])
    }

    /// Where Bundler installs, level by level as its settings are read: the command line, then the
    /// project's `.bundle/config`, the environment, the user's `~/.bundle/config` (`bundle config`'s
    /// documented order), then the default. The first level that sets `path`, `path.system` or a true
    /// `deployment` decides; within it `path.system` beats `path`, which beats `deployment`.
    enum BundlePath {
        case system(String)
        case systemUnknown(String)
        case explicit(Value, String)
        case shared
    }

    /// A Bundler boolean setting.
    enum Setting { case unset, yes, no, unknown }

    /// Bundler's booleans: false for `false|f|no|n|0` and empty, true for anything else.
    static func bundlerBool(_ value: Value?) -> Setting {
        guard let value else { return .unset }
        if value.isDynamic { return .unknown }
        return ["false", "f", "no", "n", "0", ""].contains(value.text.lowercased()) ? .no : .yes
    }

    /// A Bundler boolean setting from the environment.
    func bundlerBool(_ name: String) -> Setting { Self.bundlerBool(environment[name]) }

    /// One level of Bundler's settings: the environment, or a config file and its `BUNDLE_*` values.
    struct SettingsLevel {
        enum Kind { case local, environment, global }
        let kind: Kind
        let file: String?
        let values: [String: Value]
    }

    /// The levels below the command line, in Bundler's order: local file, environment, user's file.
    /// BUNDLE_IGNORE_CONFIG ignores both files. Files are read only for the commands that install.
    func settingsLevels(_ gemfile: Gemfile) -> [SettingsLevel] {
        let keys = ["BUNDLE_PATH", "BUNDLE_PATH__SYSTEM", "BUNDLE_DEPLOYMENT"]
        var environmentValues: [String: Value] = [:]
        for key in keys { environmentValues[key] = environment[key] }
        let environmentLevel = SettingsLevel(kind: .environment, file: nil, values: environmentValues)
        if let ignore = environment["BUNDLE_IGNORE_CONFIG"], !ignore.isDynamic { return [environmentLevel] }
        var levels: [SettingsLevel] = []
        if let root = gemfile.root {
            var appConfig = root + "/.bundle"
            if let configured = environment["BUNDLE_APP_CONFIG"], !configured.text.isEmpty {
                appConfig = context.absolutePath(configured, relativeTo: root) ?? ""
            }
            if !appConfig.isEmpty {
                let file = appConfig + "/config"
                levels.append(SettingsLevel(kind: .local, file: file, values: readBundlerConfig(file, keys: keys)))
            }
        }
        levels.append(environmentLevel)
        var global: String?
        if let file = environment["BUNDLE_USER_CONFIG"], !file.text.isEmpty {
            global = context.absolutePath(file, relativeTo: directory)
        } else if let home = environment["BUNDLE_USER_HOME"], !home.text.isEmpty {
            global = context.absolutePath(home, relativeTo: directory).map { $0 + "/config" }
        } else {
            global = context.home.map { $0 + "/.bundle/config" }
        }
        if let global {
            levels.append(
                SettingsLevel(kind: .global, file: global, values: readBundlerConfig(global, keys: keys)))
        }
        return levels
    }

    /// The `KEY: value` settings of a Bundler config file (flat YAML), for the keys asked.
    func readBundlerConfig(_ path: String, keys: [String]) -> [String: Value] {
        guard let bytes = context.files.contents(of: path) else { return [:] }
        var values: [String: Value] = [:]
        for key in keys {
            if let value = YAMLSetting.value(bytes, key: key) { values[key] = Value(value) }
        }
        return values
    }

    func bundlePath(cli: ParsedOptions?) -> BundlePath {
        bundlePathAndLevel(cli: cli).path
    }

    /// The bundle path, and the settings level that decided it (`nil`: the command line or the default).
    func bundlePathAndLevel(cli: ParsedOptions?) -> (path: BundlePath, level: SettingsLevel?) {
        if let cli {
            if cli.has("--system") { return (.system("`--system`"), nil) }
            if let path = cli.value("--path") { return (.explicit(path.value, "`--path \(path.text)`"), nil) }
            if cli.has("--deployment") {
                return (.explicit(Value("vendor/bundle"), "`--deployment` (vendor/bundle)"), nil)
            }
            if cli.has("--standalone"), environment["BUNDLE_PATH"] == nil {
                return (.explicit(Value("bundle"), "`--standalone` (./bundle)"), nil)
            }
        }
        for level in settingsLevels(gemfile(option: cli?.value("--gemfile"))) {
            let system = Self.bundlerBool(level.values["BUNDLE_PATH__SYSTEM"])
            let path = level.values["BUNDLE_PATH"].flatMap { $0.isDynamic || !$0.text.isEmpty ? $0 : nil }
            let deployment = Self.bundlerBool(level.values["BUNDLE_DEPLOYMENT"])
            guard system != .unset || path != nil || deployment == .yes else { continue }
            let file =
                level.file.map {
                    " in \($0)" + (level.kind == .local ? " (the project's setting, which beats the environment)" : "")
                } ?? ""
            switch system {
            case .yes: return (.system(file.isEmpty ? "BUNDLE_PATH__SYSTEM" : "`path.system`" + file), level)
            case .unknown: return (.systemUnknown(file.isEmpty ? "BUNDLE_PATH__SYSTEM" : "`path.system`" + file), level)
            case .unset, .no: break
            }
            if let path {
                return (
                    .explicit(path, file.isEmpty ? "BUNDLE_PATH=\(path.text)" : "`path \(path.text)`" + file), level
                )
            }
            if deployment == .yes {
                return (
                    .explicit(
                        Value("vendor/bundle"),
                        file.isEmpty ? "BUNDLE_DEPLOYMENT (vendor/bundle)" : "`deployment`\(file) (vendor/bundle)"),
                    level
                )
            }
            return (.shared, level)
        }
        return (.shared, nil)
    }

    /// Whether a bundle path keeps the gems in the project (or in the shared GEM_HOME side by side).
    func isProjects(_ path: BundlePath) -> Bool {
        switch path {
        case .system, .systemUnknown: return false
        case .shared: return true
        case .explicit(let value, _):
            let gemfile = gemfile()
            if case .inside = context.location(of: value, from: gemfile.root ?? directory) { return true }
            return false
        }
    }

    /// install, update, add, cache, pristine: the bundle path decides.
    func bundleInstalls(_ what: String, cli: ParsedOptions?, gemfileOption: Argument? = nil, fixWords: [String])
        -> Judgement
    {
        let gemfile = gemfile(option: gemfileOption ?? cli?.value("--gemfile"))
        switch bundlePath(cli: cli) {
        case .system(let source):
            return Judgement(findings: [
                finding(
                    Ruby.bundleSystem, "\(source) makes `\(what)` install the bundle into the system gems.",
                    fix: bundleFix(fixWords))
            ])
        case .systemUnknown(let source):
            return Judgement(findings: [
                finding(
                    Ruby.bundleSystem, Reasons.onlyKnownWhenRun(source), fix: bundleFix(fixWords),
                    verdict: .ask)
            ])
        case .explicit(let path, let source):
            let location = context.location(of: path, from: gemfile.root ?? directory)
            if case .inside = location, !gemfile.found {
                return note("no Gemfile: `\(what)` has nothing to install")
            }
            return Judgement(findings: [
                locate(
                    location, described: "the bundle path \(source)", rule: Ruby.installLocation,
                    fix: bundleFix(fixWords, vendor: true), allowFix: environmentAllowFix(source, path, gemfile))
            ])
        case .shared:
            guard gemfile.found else { return note("no Gemfile: `\(what)` has nothing to install") }
            return allowProject(
                "`\(what)` installs what the project's Gemfile lists (into GEM_HOME, each version side by side).")
        }
    }

    /// A bundle path from the environment is lost under sudo: the suggestion keeps it.
    func environmentAllowFix(_ source: String, _ path: Value, _ gemfile: Gemfile) -> String? {
        if source.hasPrefix("BUNDLE_PATH=") {
            return context.absolutePath(path, relativeTo: gemfile.root ?? directory).map {
                withEnvironment("BUNDLE_PATH", $0)
            }
        }
        return source.hasPrefix("BUNDLE_DEPLOYMENT") ? withEnvironment("BUNDLE_DEPLOYMENT", "true") : nil
    }

    /// A bundler command for a fix, with the environment overrides it needs so that it is the
    /// project's: `BUNDLE_PATH=vendor/bundle` when a bundle path is wanted (or the environment's is
    /// outside), `BUNDLE_PATH__SYSTEM=false` when the environment asks for the system gems.
    func bundleFix(_ words: [String], vendor: Bool = false) -> String {
        let gemfile = gemfile()
        let base = gemfile.root ?? directory
        let (decided, level) = bundlePathAndLevel(cli: nil)
        // The project's `.bundle/config` beats the environment: the fix changes the setting where it is,
        // and the command is run again once it has (toolguard reads the file as it is now).
        if let level, level.kind == .local, !isProjects(decided) {
            let unset = level.values["BUNDLE_PATH__SYSTEM"] != nil ? "bundle config unset --local path.system && " : ""
            return unset + "bundle config set --local path vendor/bundle"
        }
        var vendorInside = false
        if gemfile.found, case .inside = context.location(of: Value("vendor/bundle"), from: base) {
            vendorInside = true
        }
        var environmentPathOutside = false
        if let path = environment["BUNDLE_PATH"], path.isDynamic || !path.text.isEmpty {
            if case .inside = context.location(of: path, from: base) {} else { environmentPathOutside = true }
        }
        var prefix: [String] = []
        if vendor || environmentPathOutside {
            if vendorInside {
                prefix.append("BUNDLE_PATH=vendor/bundle")
            } else if environmentPathOutside {
                prefix.append("env -u BUNDLE_PATH")
            }
        }
        if [.yes, .unknown].contains(bundlerBool("BUNDLE_PATH__SYSTEM")) {
            prefix.append("BUNDLE_PATH__SYSTEM=false")
        }
        // Deployment mode means vendor/bundle, which is outside when there is no project.
        if [.yes, .unknown].contains(bundlerBool("BUNDLE_DEPLOYMENT")), !vendorInside {
            prefix.append("BUNDLE_DEPLOYMENT=false")
        }
        // The user's file is read only when the environment sets none of path, path.system: a
        // setting there is overridden by one in the environment.
        if let level, level.kind == .global, !isProjects(decided),
            !prefix.contains(where: { $0.hasPrefix("BUNDLE_PATH") })
        {
            prefix.append("BUNDLE_PATH__SYSTEM=false")
        }
        return (prefix + words).joined(separator: " ")
    }

    /// `bundle clean` removes gems the bundle does not use from the bundle path; with the shared
    /// GEM_HOME it refuses unless `--force`, and then cleans every project's gems.
    func bundleClean(_ parsed: ParsedOptions, words: [String]) -> Judgement {
        let gemfile = gemfile()
        switch bundlePath(cli: nil) {
        case .explicit(let path, let source):
            return Judgement(findings: [
                locate(
                    context.location(of: path, from: gemfile.root ?? directory),
                    described: "the bundle path \(source)", rule: Ruby.installLocation,
                    fix: bundleFix(words, vendor: true), allowFix: environmentAllowFix(source, path, gemfile))
            ])
        case .system, .systemUnknown, .shared:
            guard parsed.has("--force") else {
                return note("without a bundle path, `bundle clean` refuses to clean the shared gems unless --force")
            }
            let fix = bundleFix(words, vendor: true)
            return Judgement(findings: [
                finding(
                    Ruby.gemGlobal,
                    "`bundle clean --force` without a bundle path removes every gem this bundle does not use from the "
                        + "shared GEM_HOME, other projects' gems included.",
                    fix: fix.hasPrefix("BUNDLE_PATH=") ? fix : "bundle clean")
            ])
        }
    }

    /// `bundle exec CMD`: CMD runs with the bundle's environment and is judged. With a bundle path,
    /// Bundler points GEM_HOME at it.
    func bundleExec(_ judgement: Judgement, gemfileOption: Argument?) -> Judgement {
        guard var nested = judgement.nested else { return judgement }
        let gemfile = gemfile(option: gemfileOption)
        var changes: [String: Value?] = [:]
        if let path = gemfile.path { changes["BUNDLE_GEMFILE"] = Value(path) }
        if case .explicit(let path, _) = bundlePath(cli: nil) {
            changes["GEM_HOME"] =
                context.absolutePath(path, relativeTo: gemfile.root ?? directory).map { Value($0) }
                ?? Value(path.text, isDynamic: true)
        }
        var judgement = judgement
        nested.environmentChanges.merge(changes) { _, new in new }
        judgement.nested = nested
        return judgement
    }

    /// `bundle config [set|get|unset|list] [--local|--global] NAME VALUE`: `path` and `path.system`
    /// decide where every later install goes.
    func bundleConfig(_ parsed: ParsedOptions) -> Judgement {
        var operands = parsed.operands[...]
        var subcommand = "base"
        // Thor's lookup of `bundle config`'s subcommands; any other word is the old `NAME [VALUE]` form.
        if let first = operands.first {
            let matches = ["base", "get", "set", "unset", "list"].filter { $0.hasPrefix(first.text) }
            if matches.count == 1 || matches.contains(first.text) {
                subcommand = matches.contains(first.text) ? first.text : matches[0]
                operands = operands.dropFirst()
            }
        }
        guard subcommand == "set" || subcommand == "base", !parsed.has("--delete"), let name = operands.first,
            operands.count >= 2
        else { return note("`bundle config` only reads or removes settings here") }
        let values = operands.dropFirst()
        let value = Value(values.map(\.text).joined(separator: " "), isDynamic: values.contains(where: \.isDynamic))
        let key = name.text.uppercased().replacingEvery(".", with: "__")
        let fix = "bundle config set --local path vendor/bundle"
        let isLocal = parsed.has("--local") && !parsed.has("--global")
        switch key {
        case "PATH__SYSTEM":
            if value.isDynamic {
                return Judgement(findings: [
                    finding(
                        Ruby.bundleConfig, "`path.system` is set to a value only known when the line runs.", fix: fix,
                        verdict: .ask)
                ])
            }
            guard !["false", "f", "no", "n", "0", ""].contains(value.text.lowercased()) else {
                return note("`path.system \(value.text)` keeps installs out of the system gems")
            }
            return Judgement(findings: [
                finding(
                    Ruby.bundleConfig,
                    "`bundle config` of `path.system` makes every later bundle install go into the system gems.",
                    fix: fix)
            ])
        case "PATH":
            // A relative path is relative to each project's root: `vendor/bundle` keeps every bundle in
            // its own project, even as a global setting.
            if !value.isDynamic, !value.text.hasPrefix("/"), !value.text.hasPrefix("~"),
                Paths.isInside(Paths.normalize("/project/" + value.text), "/project")
            {
                return Judgement(findings: [
                    finding(
                        Ruby.localLocation, "The bundle path `\(value.text)` is relative to each project's root.",
                        verdict: .allow)
                ])
            }
            let gemfile = gemfile()
            let location = context.location(of: value, from: gemfile.root ?? directory)
            if !isLocal, case .inside(let path, _) = location {
                // A user-wide setting with one absolute path sends every project's gems there.
                return Judgement(findings: [
                    finding(
                        Ruby.bundleConfig,
                        "A user-wide bundle path \(path) sends every project's gems into this one place.", fix: fix)
                ])
            }
            return Judgement(findings: [
                locate(
                    location, described: "The bundle path setting `\(value.text)`", rule: Ruby.bundleConfig,
                    fix: fix)
            ])
        default:
            return note("`\(name.text)` does not move installs")
        }
    }

    /// `bundle init` creates the Gemfile that later parts of the line may use.
    func bundleInit(_ parsed: ParsedOptions) -> Judgement {
        let target =
            parsed.value("--gemfile")?.value
            ?? environment["BUNDLE_GEMFILE"].flatMap { $0.text.isEmpty ? nil : $0 } ?? Value("Gemfile")
        var judgement = note("`bundle init` creates a Gemfile")
        if let path = context.absolutePath(target, relativeTo: directory) {
            judgement.effects = [.creates(path: path)]
        }
        return judgement
    }

    // MARK: ruby and the version managers

    /// `ruby [OPTIONS] [-S] gem|bundle …` runs that program; `-C DIR` runs it in DIR. Inline code
    /// (`-e`) is judged by the reader.
    func ruby() -> Judgement {
        let arguments = Array(invocation.operands)
        var index = 0
        var rubyDirectory: String?
        while index < arguments.count {
            let text = arguments[index].text
            if text == "--" {
                index += 1
                break
            }
            if text.hasPrefix("--") {
                if [
                    "--enable", "--disable", "--encoding", "--external-encoding", "--internal-encoding",
                    "--backtrace-limit", "--parser",
                ].contains(text) {
                    index += 1
                }
                if text == "--help" || text == "--version" { return Judgement() }
                index += 1
                continue
            }
            guard text.hasPrefix("-"), text.count > 1 else { break }
            index += 1
            var letters = Substring(text.dropFirst())
            while let letter = letters.first {
                letters = letters.dropFirst()
                switch letter {
                case "e", "h":
                    return Judgement()
                case "C", "X", "I", "r", "E":
                    var value = String(letters)
                    if letters.isEmpty, index < arguments.count {
                        value = arguments[index].text
                        if letter == "C" || letter == "X", arguments[index].isDynamic { value = "" }
                        index += 1
                    }
                    if letter == "C" || letter == "X" {
                        rubyDirectory = value.isEmpty ? nil : context.absolutePath(Value(value), relativeTo: directory)
                    }
                    letters = ""
                case "0", "F", "i", "x", "T", "W", "K":
                    letters = ""
                default:
                    continue
                }
            }
        }
        guard index < arguments.count else { return Judgement() }
        let script = arguments[index]
        guard ["gem", "bundle", "bundler"].contains(ProgramName.normalize(script.text)) else { return Judgement() }
        var judgement = Judgement()
        judgement.nested = NestedCommand(
            arguments: Array(arguments[index...]), directory: rubyDirectory, runner: "ruby")
        return judgement
    }

    /// `rbenv exec CMD`, `rvm RUBY do CMD`, `chruby-exec RUBY -- CMD`: CMD runs with another Ruby,
    /// whose default GEM_HOME is just as shared.
    func versionManager() -> Judgement {
        let arguments = Array(invocation.operands)
        let command: ArraySlice<Argument>
        switch invocation.program {
        case "rbenv":
            guard arguments.first?.text == "exec" else { return Judgement() }
            command = arguments.dropFirst()
        case "rvm":
            guard let index = arguments.firstIndex(where: { $0.text == "do" }) else { return Judgement() }
            command = arguments[(index + 1)...]
        default:
            guard let index = arguments.firstIndex(where: { $0.text == "--" }) else { return Judgement() }
            command = arguments[(index + 1)...]
        }
        guard !command.isEmpty else { return Judgement() }
        var judgement = Judgement()
        judgement.nested = NestedCommand(arguments: Array(command), runner: invocation.program)
        return judgement
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation in Ecosystems).
    func replacingEvery(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
