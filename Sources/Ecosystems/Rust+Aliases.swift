public import GuardKit

// cargo's aliases (The Cargo Book, "Configuration", `[alias]`): cargo runs an alias's words in place of its
// name — `[alias] setup = "install ripgrep"` makes `cargo setup` an install. They come from `--config
// alias.NAME=…` on the command line, then `CARGO_ALIAS_NAME` in the environment, then the config files
// (`.cargo/config.toml` in the directory and each ancestor, nearest first, then `$CARGO_HOME/config.toml`).
// A built-in command is never an alias.
extension Rust {
    /// Judged by the generic judge, with an alias written out first.
    public func judge(_ invocation: Invocation, in context: JudgementContext) -> Judgement {
        let expanded = invocation.program == "cargo" ? Self.withAlias(invocation, in: context) : invocation
        return DescribedJudge(ecosystem: id, descriptions: descriptions).judge(expanded, in: context).judgement
    }

    /// cargo's built-in commands (`cargo --list`), which no alias replaces.
    static let builtinCommands: Set<String> = [
        "add", "b", "bench", "build", "c", "check", "clean", "clippy", "config", "d", "doc", "fetch", "fix", "fmt",
        "generate-lockfile", "help", "info", "init", "install", "locate-project", "login", "logout", "metadata", "miri",
        "new", "owner", "package", "pkgid", "publish", "r", "read-manifest", "remove", "report", "rm", "run", "rustc",
        "rustdoc", "search", "t", "test", "tree", "uninstall", "update", "vendor", "verify-project", "version",
        "yank",
    ]

    /// cargo's options before the command that take a value.
    static let valueOptionsBeforeCommand: Set<String> = ["--config", "-Z", "-C", "--color", "--explain"]

    /// `invocation` with an alias of its command word replaced by the alias's words (aliases of aliases too,
    /// a few deep); unchanged when the word is a built-in command or no alias.
    static func withAlias(_ invocation: Invocation, in context: JudgementContext) -> Invocation {
        var arguments = invocation.arguments
        for _ in 0..<4 {
            var index = 1
            var configs: [Argument] = []
            while index < arguments.count {
                let text = arguments[index].text
                if text.hasPrefix("+") {
                    index += 1
                } else if valueOptionsBeforeCommand.contains(text) {
                    if text == "--config", index + 1 < arguments.count { configs.append(arguments[index + 1]) }
                    index += 2
                } else if text.hasPrefix("--config=") {
                    configs.append(
                        Argument(
                            String(text.dropFirst(9)), isDynamic: arguments[index].isDynamic,
                            span: arguments[index].span))
                    index += 1
                } else if text.hasPrefix("-") {
                    index += 1
                } else {
                    break
                }
            }
            guard index < arguments.count, !arguments[index].isDynamic,
                !builtinCommands.contains(arguments[index].text),
                let words = alias(arguments[index].text, configs: configs, invocation: invocation, in: context)
            else { return withArguments(invocation, arguments) }
            let span = arguments[index].span
            arguments.replaceSubrange(
                index...index, with: words.map { Argument($0.text, isDynamic: $0.isDynamic, span: span) })
        }
        return withArguments(invocation, arguments)
    }

    private static func withArguments(_ invocation: Invocation, _ arguments: [Argument]) -> Invocation {
        var copy = invocation
        copy.arguments = arguments
        return copy
    }

    /// The words an alias stands for, where cargo would find it first.
    static func alias(_ name: String, configs: [Argument], invocation: Invocation, in context: JudgementContext)
        -> [Value]?
    {
        for config in configs.reversed() {
            guard let equals = config.text.firstIndex(of: "=") else { continue }
            let key = config.text[..<equals].trimmingCharacters
            guard key == "alias." + name || key == "alias.\"" + name + "\"" else { continue }
            return words(String(config.text[config.text.index(after: equals)...]), isDynamic: config.isDynamic)
        }
        let variable = "CARGO_ALIAS_" + name.uppercased().replacingDashes
        if let value = invocation.environment[variable] {
            return value.isDynamic
                ? [Value(value.text, isDynamic: true)]
                : value.text.split(separator: " ").map { Value(String($0)) }
        }
        var files: [String] = []
        if var directory = invocation.directory {
            while true {
                files += [directory + "/.cargo/config.toml", directory + "/.cargo/config"]
                if directory == "/" { break }
                directory = Paths.parent(directory)
            }
        }
        let cargoHome =
            invocation.environment["CARGO_HOME"].flatMap { $0.isDynamic ? nil : $0.text }
            ?? context.home.map { $0 + "/.cargo" }
        if let cargoHome { files += [cargoHome + "/config.toml", cargoHome + "/config"] }
        for file in files {
            guard let bytes = context.files.contents(of: file),
                let raw = TOMLSetting.value(bytes, table: "alias", key: name)
            else { continue }
            return words(raw, isDynamic: false)
        }
        return nil
    }

    /// An alias's value: a TOML string (split at blanks) or an array of strings.
    static func words(_ raw: String, isDynamic: Bool) -> [Value] {
        var text = Substring(raw).trimmingCharacters
        if text.hasPrefix("["), text.hasSuffix("]") {
            text = text.dropFirst().dropLast()
            return text.split(separator: ",").map {
                Value(String($0.trimmingCharacters.trimmingQuotes), isDynamic: isDynamic)
            }
        }
        return text.trimmingQuotes.split(separator: " ").map { Value(String($0), isDynamic: isDynamic) }
    }
}

extension Substring {
    fileprivate var trimmingCharacters: Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }

    fileprivate var trimmingQuotes: Substring {
        guard count >= 2, let first, first == "\"" || first == "'", last == first else { return self }
        return dropFirst().dropLast()
    }
}

extension String {
    fileprivate var replacingDashes: String { String(map { $0 == "-" ? "_" : $0 }) }
}
