/// What git runs besides its own commands (SPEC §3.1, "Programs that run a command"): aliases whose value
/// starts with `!` (given with `-c`, set by `git config` earlier in the line, or in the config files git reads),
/// and the hooks it runs for a command (githooks(5)). `Runners.git` reads the aliases once they are written
/// out as `-c alias.NAME=VALUE`.
extension Evaluator {
    /// `git config [--local|--global|--system|--file F] KEY VALUE` for a key that changes what later git
    /// commands of the line run: an alias (`git config alias.i '!pip install x' && git i`), `core.hooksPath`.
    mutating func recordGitSetting(_ arguments: [Argument]) {
        guard let command = Self.gitCommandWord(arguments), command.text == "config",
            let config = arguments.firstIndex(where: { $0.span == command.span && $0.text == "config" })
        else { return }
        let words = arguments[(config + 1)...].filter { !$0.text.hasPrefix("-") }
        guard words.count >= 2, let key = words.first, !key.isDynamic else { return }
        let name = key.text.lowercased()
        guard
            name.hasPrefix("alias.") || name == "core.hookspath"
                || Self.commandSettings.contains(where: { $0.key == name })
        else { return }
        gitSettings[name] = words[words.index(after: words.startIndex)]
    }

    /// A git setting as git would find it: given with `-c KEY=VALUE`, set earlier in the line, or in the
    /// repository's, the user's or the XDG config file. Where a key is given more than once, the last wins.
    func gitSetting(_ key: String, _ arguments: [Argument], environment: Environment, directory: String?) -> Argument? {
        var given: Argument?
        for (index, argument) in arguments.enumerated() where argument.text == "-c" && index + 1 < arguments.count {
            let setting = arguments[index + 1]
            if let equals = setting.text.firstIndex(of: "="), setting.text[..<equals].lowercased() == key {
                given = Argument(
                    String(setting.text[setting.text.index(after: equals)...]), isDynamic: setting.isDynamic,
                    span: setting.span)
            }
        }
        if let given { return given }
        if let set = gitSettings[key] { return set }
        var configFiles: [String] = []
        if let directory, let root = context.nearestAncestor(of: directory, holding: ".git") {
            configFiles.append(root + "/.git/config")
        }
        if let home { configFiles.append(home + "/.gitconfig") }
        let xdg =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isDynamic ? nil : $0.text } ?? home.map { $0 + "/.config" }
        if let xdg { configFiles.append(xdg + "/git/config") }
        let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        for file in configFiles {
            guard let bytes = files.contents(of: file), let found = Self.gitConfigValue(parts[0], parts[1], in: bytes)
            else { continue }
            return Argument(found, span: arguments[0].span)
        }
        return nil
    }

    /// Settings whose value is a command git runs through the shell (git-config(1)), the environment variable
    /// that overrides each, and the git commands that run it.
    static let commandSettings: KeyValuePairs<String, (variable: String?, commands: Set<String>)> = [
        "core.fsmonitor": (
            nil,
            [
                "status", "add", "commit", "diff", "checkout", "switch", "restore", "reset", "stash", "ls-files", "rm",
                "mv", "merge", "pull", "rebase", "cherry-pick", "revert", "clean", "update-index",
            ]
        ),
        "core.editor": ("GIT_EDITOR", ["commit", "tag", "rebase", "merge", "notes", "config"]),
        "sequence.editor": ("GIT_SEQUENCE_EDITOR", ["rebase"]),
        "diff.external": ("GIT_EXTERNAL_DIFF", ["diff", "log", "show"]),
        "core.sshcommand": ("GIT_SSH_COMMAND", ["fetch", "pull", "push", "clone", "ls-remote", "submodule"]),
        "gpg.program": (nil, ["commit", "tag", "merge", "verify-commit", "verify-tag"]),
    ]

    /// Every git command that runs one of those settings: most git commands run none.
    static let commandsRunningSettings = Set(commandSettings.flatMap(\.value.commands))

    /// The commands git's settings make it run for this git command (`core.fsmonitor`, `core.editor` /
    /// `GIT_EDITOR`, `diff.external`, `core.sshCommand` / `GIT_SSH_COMMAND` …), judged as shell code run in
    /// the repository: a setting is a way to run anything (`git -c core.fsmonitor='pip install x' status`).
    mutating func runGitCommandSettings(
        _ arguments: [Argument], environment: Environment, directory: String?, elevated: Bool, wrappers: [String],
        span: SourceSpan
    ) {
        guard let command = Self.gitCommandWord(arguments), !command.isDynamic,
            Self.commandsRunningSettings.contains(command.text)
        else { return }
        for (key, use) in Self.commandSettings where use.commands.contains(command.text) {
            let value =
                use.variable.flatMap { environment[$0] }.map { Argument($0.text, isDynamic: $0.isDynamic, span: span) }
                ?? gitSetting(key, arguments, environment: environment, directory: directory)
            guard let value, !value.text.isEmpty, value.text != "false", value.text != "true" else { continue }
            if value.isDynamic {
                judgeUnreadable(span)
                continue
            }
            runScript(
                value.text, map: .enclosing(span), environment: environment, directory: directory, elevated: elevated,
                wrappers: wrappers + ["git " + key], span: span)
        }
    }

    /// The hooks git runs for a command (githooks(5)), from `core.hooksPath` or the repository's
    /// `.git/hooks`: each an executable file, judged as a file the line runs (`git commit` runs pre-commit).
    static let gitHooks: [String: [String]] = [
        "commit": ["pre-commit", "prepare-commit-msg", "commit-msg", "post-commit"],
        "merge": ["pre-merge-commit", "prepare-commit-msg", "commit-msg", "post-merge"],
        "pull": ["pre-merge-commit", "post-merge"], "push": ["pre-push"], "checkout": ["post-checkout"],
        "switch": ["post-checkout"], "clone": ["post-checkout"], "rebase": ["pre-rebase", "post-rewrite"],
        "am": ["applypatch-msg", "pre-applypatch", "post-applypatch"], "gc": ["pre-auto-gc"],
    ]

    mutating func runGitHooks(
        _ arguments: [Argument], environment: Environment, directory: String?, elevated: Bool, wrappers: [String],
        span: SourceSpan
    ) {
        guard let command = Self.gitCommandWord(arguments), var hooks = Self.gitHooks[command.text], let directory,
            let root = context.nearestAncestor(of: directory, holding: ".git")
        else { return }
        if arguments.contains(where: { $0.text == "--no-verify" || ($0.text == "-n" && command.text == "commit") }) {
            hooks.removeAll { $0 == "pre-commit" || $0 == "commit-msg" || $0 == "pre-push" || $0 == "pre-merge-commit" }
        }
        let hooksDirectory: String
        if let configured = gitSetting("core.hookspath", arguments, environment: environment, directory: directory) {
            guard !configured.isDynamic, let path = context.absolutePath(configured.value, relativeTo: root) else {
                judgeUnreadable(span)
                return
            }
            hooksDirectory = path
        } else {
            hooksDirectory = root + "/.git/hooks"
        }
        for hook in hooks {
            _ = runProgramFile(
                [Argument(hooksDirectory + "/" + hook, span: span)], environment: environment, directory: root,
                elevated: elevated, wrappers: wrappers + ["git " + command.text], span: span)
        }
    }

    /// The word naming git's command, after git's own options (`git -C dir -c k=v commit`).
    static func gitCommandWord(_ arguments: [Argument]) -> Argument? {
        var index = 1
        while index < arguments.count, arguments[index].text.hasPrefix("-") {
            let text = arguments[index].text
            index += ["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env"].contains(text) ? 2 : 1
        }
        return index < arguments.count ? arguments[index] : nil
    }

    /// git's own commands: an alias cannot replace them, and they are never looked up in config files.
    static let gitCommands: Set<String> = [
        "add", "am", "apply", "archive", "bisect", "blame", "branch", "bundle", "cat-file", "checkout", "cherry",
        "cherry-pick", "clean", "clone", "commit", "config", "describe", "diff", "difftool", "fetch", "format-patch",
        "fsck", "gc", "grep", "help", "init", "log", "ls-files", "ls-remote", "ls-tree", "merge", "mergetool", "mv",
        "notes", "pull", "push", "range-diff", "rebase", "reflog", "remote", "reset", "restore", "rev-list",
        "rev-parse", "revert", "rm", "shortlog", "show", "show-ref", "sparse-checkout", "stash", "status",
        "submodule", "switch", "tag", "version", "worktree", "whatchanged", "var", "hash-object", "update-index",
    ]

    /// git with the aliases it would find written out as `-c alias.NAME=VALUE` (which the git reader runs):
    /// the line's own, then the repository's, the user's and the XDG config file's `[alias]` sections.
    func withGitAliases(_ arguments: [Argument], environment: Environment, directory: String?) -> [Argument] {
        guard let word = Self.gitCommandWord(arguments), !word.isDynamic else { return arguments }
        let name = word.text.lowercased()
        guard !Self.gitCommands.contains(name) else { return arguments }
        let value = gitSetting("alias." + name, arguments, environment: environment, directory: directory)
        guard let value else { return arguments }
        let setting = Argument("alias." + name + "=" + value.text, isDynamic: value.isDynamic, span: value.span)
        return [arguments[0], Argument("-c", span: arguments[0].span), setting] + arguments.dropFirst()
    }

    /// The value of `[SECTION] KEY = VALUE` in a git config file's text (quotes removed), if any: the last
    /// one, as git reads a key set twice.
    static func gitConfigValue(_ section: String, _ name: String, in bytes: [UInt8]) -> String? {
        func trimmed(_ text: Substring) -> Substring {
            let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
            guard let first = text.firstIndex(where: { !isBlank($0) }),
                let last = text.lastIndex(where: { !isBlank($0) })
            else { return "" }
            return text[first...last]
        }
        var inSection = false
        var found: String?
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let text = trimmed(line)
            if text.hasPrefix("[") {
                let header = text.dropFirst().prefix { $0 != "]" }
                inSection = trimmed(header).lowercased() == section
                continue
            }
            guard inSection, let equals = text.firstIndex(of: "=") else { continue }
            guard trimmed(text[..<equals]).lowercased() == name else { continue }
            var value = trimmed(text[text.index(after: equals)...])
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = value.dropFirst().dropLast() }
            found = String(value)
        }
        return found
    }
}
