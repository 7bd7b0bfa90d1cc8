#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Keeps the agent from switching toolguard off (SPEC §8): running `toolguard trust/untrust/uninstall/pin`
/// (under any name), and writing, moving, deleting or changing the mode, owner or attributes of toolguard's
/// configuration, state, pin manifest, binary, or the agent settings that register the hook — through Bash
/// (the operations of `FileOperations`' table, redirections, interpreter code) or the agent's own file tools.
///
/// A target is judged after brace expansion, `~`, `..`, links made earlier in the line and `/proc/self/cwd`;
/// a glob is matched against the protected paths (which need not exist). A target only known when the line
/// runs asks when what is known of it could name a protected path.
public struct SelfProtection: Sendable {
    /// The ecosystem id self-protection findings carry.
    public static let ecosystem = "toolguard"
    /// One line on what self-protection guards, for `toolguard rules`.
    public static let summary =
        "Self-protection: the agent may not switch toolguard off or change its configuration, pin, binary or hook."
    /// The rule.
    public static let rule = Rule(
        id: "toolguard.self-protection", verdict: .block,
        summary:
            "The agent may not change toolguard's own configuration, trust, pin, binary or hook registration.")
    /// A change whose target or subcommand is only known when the line runs, and could be one of them.
    public static let dynamicRule = Rule(
        id: "toolguard.dynamic-target", verdict: .ask,
        summary:
            "A command changes a file (or runs toolguard) whose name is only known when the line runs, and it could "
            + "be toolguard's own.")
    /// Every rule of self-protection.
    public static let all = [rule, dynamicRule]

    /// toolguard's own subcommands that weaken protection or rewrite what protects it.
    public static let protectedSubcommands: Set<String> = ["trust", "untrust", "uninstall", "pin", "allow"]

    /// The agent's file tools that write to `tool_input.file_path`.
    public static let fileTools: Set<String> = ["Write", "Edit", "MultiEdit", "NotebookEdit"]

    /// Words that name toolguard's files in any spelling, whatever the protected paths are.
    static let mentionWords = ["toolguard", ".claude", "claude-code", "managed-settings"]

    /// Where a copy made from a dynamic path that names toolguard comes from, as far as can be told.
    static let copyOfToolguard = "/(a copy made when the line runs)/toolguard"

    /// The paths protected.
    public let paths: ProtectedPaths
    /// Spellings of the protected paths searched for in text that cannot be read: `~/…`, `$HOME/…`, literal.
    let spellings: [String]
    /// The protected files' own names (`settings.json`): weak evidence, used with a dynamically built path.
    let protectedNames: Set<String>

    /// Creates self-protection for these paths.
    public init(paths: ProtectedPaths) {
        self.paths = paths
        var spellings = Self.mentionWords
        var names: Set<String> = []
        for entry in paths.entries {
            spellings.append(entry.path)
            names.insert(Paths.basename(entry.path))
        }
        self.spellings = spellings
        self.protectedNames = names
    }

    // MARK: File tools

    /// A finding for a file tool writing `path`, if it is protected.
    public func judgeFileTool(path: String, directory: String?, span: SourceSpan) -> Finding? {
        var target = path
        if let directory { target = Self.procSelf(target, directory: directory) }
        guard let protected = paths.protects(target, operation: .write, relativeTo: directory) else { return nil }
        return finding(protected.reason, span: span)
    }

    func finding(_ reason: String, span: SourceSpan) -> Finding {
        Finding(
            verdict: .block, ecosystem: Self.ecosystem, rule: Self.rule.id, span: span, reason: reason,
            fix: "Ask the person to run it themselves, outside the agent.")
    }

    func question(_ reason: String, span: SourceSpan) -> Finding {
        Finding(
            verdict: .ask, ecosystem: Self.ecosystem, rule: Self.dynamicRule.id, span: span, reason: reason,
            fix: "Write the path (or the subcommand) out, so that it can be checked.")
    }

    // MARK: Commands

    /// What judging one command found, and the links and copies it makes for later parts of the line.
    struct Outcome {
        var findings: [Finding] = []
        /// (absolute path, absolute target, symbolic)
        var links: [(String, String, Bool)] = []
    }

    /// Whether a command must be shown to `judge(…)`: a program of the table, toolguard itself, or any
    /// program whose first argument is one of toolguard's protected subcommands (it may be toolguard under
    /// another name).
    static func concerns(_ arguments: [Argument], program: String) -> Bool {
        program == "toolguard" || FileOperations.table[program] != nil
            || arguments.count > 1 && protectedSubcommands.contains(arguments[1].text)
    }

    /// Findings for one command: toolguard's own protected subcommands, and the files the command changes.
    /// `around` is the text the command's dynamic arguments may come from: its own written text, and what
    /// is piped into it.
    func judge(
        _ arguments: [Argument], program: String, directory: String?, environment: Environment?, around: String,
        context: JudgementContext, span: SourceSpan
    ) -> Outcome {
        var outcome = Outcome()
        if let finding = judgeSubcommand(
            arguments, program: program, directory: directory, environment: environment, context: context, span: span)
        {
            outcome.findings.append(finding)
            return outcome
        }
        let effects = FileOperations.effects(program: program, arguments: arguments)
        // The text around is searched once per command, not once per dynamic target: `rm $a $b …` stays linear.
        let around =
            effects.targets.contains { $0.argument.isDynamic } || effects.links.contains { $0.target.isDynamic }
            ? around : ""
        for (index, target) in effects.targets.enumerated() {
            // A command of a hundred thousand operands is read no longer than the line may take.
            if index % 64 == 63, context.deadline?.hasPassed == true { break }
            if let finding = judgeTarget(target, directory: directory, around: around, context: context, span: span) {
                outcome.findings.append(finding)
                if finding.verdict == .block { break }
            }
        }
        for link in effects.links where !link.path.isDynamic {
            guard let path = context.absolutePath(link.path.value, relativeTo: directory) else { continue }
            if link.target.isDynamic {
                // `cp "$(which toolguard)" /tmp/x`: a copy of something the command names as toolguard.
                if around.contains("toolguard") { outcome.links.append((path, Self.copyOfToolguard, false)) }
                continue
            }
            let base = link.isSymbolic ? Paths.parent(path) : directory
            guard let target = context.absolutePath(link.target.value, relativeTo: base) else { continue }
            outcome.links.append((path, target, link.isSymbolic))
        }
        return outcome
    }

    /// `toolguard trust` — or the same binary under another name or through a link or copy made earlier —
    /// blocks; a subcommand only known when the line runs asks.
    func judgeSubcommand(
        _ arguments: [Argument], program: String, directory: String?, environment: Environment?,
        context: JudgementContext, span: SourceSpan
    ) -> Finding? {
        guard let subcommand = arguments.dropFirst().first(where: { !$0.text.hasPrefix("-") || $0.isDynamic })
        else { return nil }
        var isToolguard = program == "toolguard"
        if !isToolguard, !subcommand.isDynamic, Self.protectedSubcommands.contains(subcommand.text),
            let environment,
            let executable = context.resolveExecutable(
                arguments[0].text, environment: environment, directory: directory)
        {
            let origin = context.files.origin(of: executable)
            isToolguard =
                Paths.basename(origin) == "toolguard"
                || paths.protects(origin, operation: .write, files: context.files)?.entry.kind == .binary
                || isCopyOfToolguard(origin, probes: context.files.probes)
        }
        guard isToolguard else { return nil }
        // Help is only printed (`toolguard trust --help`): nothing changes.
        if arguments.dropFirst().contains(where: { $0.text == "--help" || $0.text == "-h" }) { return nil }
        if subcommand.isDynamic {
            return question(
                "toolguard runs a subcommand only known when the line runs (`\(subcommand.text)`), which may be one "
                    + "that only a person may run.", span: span)
        }
        guard Self.protectedSubcommands.contains(subcommand.text) || Self.installSubcommands.contains(subcommand.text)
        else { return nil }
        return finding(
            "`toolguard \(subcommand.text)` changes what protects this machine; only a person may run it.", span: span)
    }

    /// Subcommands that register a hook and pin a binary: run by the agent, they could point the hook at a copy
    /// it controls. Only toolguard's own (other programs' `install` is no concern of self-protection's).
    static let installSubcommands: Set<String> = ["install"]

    /// Whether `path` is a copy of the installed binary made before this line (`cp ~/.local/bin/toolguard
    /// build/helper` run earlier): the same size and the same first bytes. Asked only of a program given one
    /// of the protected subcommands, so it costs one `stat` for `pip uninstall` and a read only on a match.
    func isCopyOfToolguard(_ path: String, probes: FileProbes) -> Bool {
        guard let copy = probes.identity(path), copy.isRegularFile, copy.size > 0 else { return false }
        for entry in paths.entries where entry.kind == .binary {
            guard let installed = probes.identity(entry.path), installed.size == copy.size,
                let first = Self.leadingBytes(path), let second = Self.leadingBytes(entry.path)
            else { continue }
            if first == second { return true }
        }
        return false
    }

    /// The first 64 KB of a file (an executable's headers and start of code), or `nil` when it cannot be read.
    static func leadingBytes(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 1 << 16)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count >= 0 else { return nil }
        return Array(bytes[..<count])
    }

    /// A dynamic command word run with one of toolguard's protected subcommands (`$(which toolguard) trust`).
    func judgeDynamicCommand(_ arguments: [Argument], span: SourceSpan) -> Finding? {
        guard arguments.dropFirst().contains(where: { Self.protectedSubcommands.contains($0.text) }) else {
            return nil
        }
        return question(
            "The command `\(arguments[0].text)` is only known when the line runs, and it is given one of toolguard's "
                + "protected subcommands.", span: span)
    }

    /// A finding when writing or removing `target` touches a protected path (a redirection's target).
    func judgePath(
        _ target: Argument, operation: ProtectedPaths.Operation, directory: String?, around: String = "",
        context: JudgementContext, span: SourceSpan
    ) -> Finding? {
        judgeTarget(
            FileOperations.Target(argument: target, operation: operation), directory: directory, around: around,
            context: context, span: span)
    }

    func judgeTarget(
        _ target: FileOperations.Target, directory: String?, around: String, context: JudgementContext,
        span: SourceSpan
    ) -> Finding? {
        let argument = target.argument
        if argument.isDynamic {
            return judgeDynamic(
                argument, operation: target.operation, directory: directory, around: around,
                context: context, span: span)
        }
        var strictest: Finding?
        // A path longer than PATH_MAX cannot be opened: it is not expanded or walked, but judged by its text
        // (lexically, and by the protected names in it): a limit is a reason to be careful.
        guard argument.text.utf8.count <= Paths.maximumLength else {
            guard let path = context.absolutePath(argument.value, relativeTo: directory),
                let protected = paths.protects(path, operation: target.operation, files: context.files)
            else { return nil }
            return finding(protected.reason, span: span)
        }
        for text in Self.braceExpansions(argument.text) {
            guard var path = context.absolutePath(Value(text), relativeTo: directory) else { continue }
            if let directory { path = Self.procSelf(path, directory: directory) }
            let resolved = context.files.resolvingLinks(path)
            for candidate in resolved == path ? [path] : [path, resolved] {
                let found: Finding?
                if Self.isPattern(candidate) {
                    found = judgePattern(candidate, operation: target.operation, span: span)
                } else {
                    found = judge(candidate, target: target, directory: directory, context: context, span: span)
                }
                if let found, found.verdict > (strictest?.verdict ?? .pass) { strictest = found }
                if strictest?.verdict == .block { return strictest }
            }
        }
        return strictest
    }

    /// One static, absolute path.
    private func judge(
        _ path: String, target: FileOperations.Target, directory: String?, context: JudgementContext,
        span: SourceSpan
    ) -> Finding? {
        switch target.content {
        case .path:
            guard let protected = paths.protects(path, operation: target.operation, files: context.files) else {
                return nil
            }
            if protected.relation == .contains, let change = target.attributes {
                // A change of a directory above them: does it reach one of the protected paths below?
                guard
                    let reached = paths.entries.first(where: {
                        Paths.isInside($0.path, path) && Self.reaches(change, entry: $0, context: context)
                    })
                else { return nil }
                return finding(
                    "\(path) holds \(reached.kind.summary) (\(reached.path)), and this change of its mode, owner or "
                        + "attributes can cut it off — \(ProtectionMessage.advice)", span: span)
            }
            return finding(protected.reason, span: span)
        case .tree(let source, _, let onlyIfNotDirectory):
            if onlyIfNotDirectory, context.files.isDirectory(path) { return nil }
            if let protected = paths.protects(path, operation: .write, files: context.files) {
                return finding(protected.reason, span: span)
            }
            var question: Finding?
            for entry in paths.entries where entry.path != path && Paths.isInside(entry.path, path) {
                let relative = String(entry.path.dropFirst(path == "/" ? 1 : path.count + 1))
                guard !source.isDynamic,
                    let root = context.absolutePath(Value(FileOperations.trimmed(source.text)), relativeTo: directory)
                else {
                    question = self.question(
                        "A tree only known when the line runs is copied over \(path), which holds \(entry.kind.summary) "
                            + "(\(entry.path)).", span: span)
                    continue
                }
                if context.files.exists(root + "/" + relative) {
                    return finding(
                        "\(root) holds \(relative), which copied over \(path) replaces \(entry.kind.summary) "
                            + "(\(entry.path)) — \(ProtectionMessage.advice)", span: span)
                }
                if !context.files.exists(root) {
                    question = self.question(
                        "\(root) is not there to be read, and copied over \(path) it could replace \(entry.kind.summary) "
                            + "(\(entry.path)).", span: span)
                }
            }
            return question
        case .archive:
            if let protected = paths.protects(path, operation: .write, files: context.files) {
                return finding(protected.reason, span: span)
            }
            var question: Finding?
            for entry in paths.entries
            where entry.path != path && Paths.isInside(entry.path, path) && context.files.exists(entry.path) {
                if Paths.parent(entry.path) == path {
                    return finding(
                        "An archive unpacked into \(path) can replace \(entry.kind.summary) (\(entry.path)) — "
                            + ProtectionMessage.advice, span: span)
                }
                question = self.question(
                    "An archive unpacked into \(path) can replace \(entry.kind.summary) (\(entry.path)), and its "
                        + "content is not read.", span: span)
            }
            return question
        case .found(let names, let asks):
            guard let protected = paths.protects(path, operation: .remove, files: context.files) else { return nil }
            let reaches: Bool
            if protected.relation == .contains {
                // Only what is there can be found.
                reaches = paths.entries.contains { entry in
                    guard entry.path != path, Paths.isInside(entry.path, path), context.files.exists(entry.path) else {
                        return false
                    }
                    guard let names, !names.isEmpty else { return true }
                    let below = entry.path.dropFirst(path == "/" ? 1 : path.count + 1).split(separator: "/")
                    return below.contains { component in
                        names.contains { fnmatch($0, String(component), 0) == 0 }
                    }
                }
            } else {
                reaches = true
            }
            guard reaches else { return nil }
            return asks
                ? question(
                    "Files found below \(path) are changed one by one, and they could include "
                        + "\(protected.entry.kind.summary) (\(protected.entry.path)).", span: span)
                : finding(protected.reason, span: span)
        }
    }

    /// Whether a mode, owner or attribute change of a directory above a protected path reaches it: a
    /// recursive change does; any change that can take read, write or execute from the owner (of the
    /// directory, or of the file itself when recursive) cuts it off. The protected path must exist.
    static func reaches(
        _ change: FileOperations.AttributeChange, entry: ProtectedPaths.Entry, context: JudgementContext
    )
        -> Bool
    {
        guard context.files.exists(entry.path) else { return false }
        switch change.kind {
        case .mode:
            return change.mode.map(modeCanTakeFromOwner) ?? true
        case .owner, .flags:
            return change.recursive
        case .acl:
            return true
        }
    }

    /// Whether a `chmod` mode can remove read, write or execute permission from the file's owner:
    /// numeric modes without `7` for the owner, `-`/`=` clauses that apply to the owner (`u`, `a`, or no
    /// one named). Unreadable modes can.
    static func modeCanTakeFromOwner(_ mode: String) -> Bool {
        if !mode.isEmpty, mode.allSatisfy({ $0 >= "0" && $0 <= "7" }) {
            guard let value = Int(mode, radix: 8) else { return true }
            return (value >> 6) & 7 != 7
        }
        for clause in mode.split(separator: ",") {
            var who = Substring("")
            var rest = Substring(clause)
            while let first = rest.first, "ugoa".contains(first) {
                who.append(first)
                rest = rest.dropFirst()
            }
            let forOwner = who.isEmpty || who.contains("u") || who.contains("a")
            guard !rest.isEmpty else { return true }
            while let operation = rest.first {
                rest = rest.dropFirst()
                guard "+-=".contains(operation) else { return true }
                let permissions = rest.prefix { !"+-=".contains($0) }
                rest = rest.dropFirst(permissions.count)
                if permissions.contains(where: { !"rwxXst".contains($0) }) { return true }
                guard forOwner else { continue }
                if operation == "-", permissions.contains(where: { "rwx".contains($0) }) { return true }
                if operation == "=",
                    !(permissions.contains("r") && permissions.contains("w") && permissions.contains("x"))
                {
                    return true
                }
            }
        }
        return false
    }

    // MARK: Globs, braces, dynamic targets

    /// Patterns with more stars than this are not matched (backtracking could take exponential time).
    static let maximumStars = 16

    static func isPattern(_ path: String) -> Bool {
        path.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// A glob target: matched component by component against every protected path, as bash would match it
    /// if the file existed (`*` does not match a leading dot). A pattern for a directory above a protected
    /// path matches when the operation reaches into directories (removal, attributes).
    func judgePattern(_ pattern: String, operation: ProtectedPaths.Operation, span: SourceSpan) -> Finding? {
        let components = pattern.split(separator: "/").map(String.init)
        if components.contains(where: { $0.count { $0 == "*" } > Self.maximumStars }) {
            return question("\(pattern) is too intricate a pattern to match against toolguard's files.", span: span)
        }
        for entry in paths.entries {
            let entryComponents = entry.path.split(separator: "/").map(String.init)
            let common = min(components.count, entryComponents.count)
            let matches = (0..<common).allSatisfy {
                fnmatch(components[$0], entryComponents[$0], FNM_PERIOD) == 0
            }
            guard matches else { continue }
            let reaches =
                components.count == entryComponents.count
                || components.count > entryComponents.count && entry.isDirectory
                || components.count < entryComponents.count && operation != .write
            if reaches {
                return finding(
                    "\(pattern) matches \(entry.kind.summary) (\(entry.path)), which the agent may not change — "
                        + ProtectionMessage.advice, span: span)
            }
        }
        return nil
    }

    /// A target only known when the line runs: asks when its known part, with each unknown part standing for
    /// anything, matches a protected path, or when the text it comes from names one.
    func judgeDynamic(
        _ argument: Argument, operation: ProtectedPaths.Operation, directory: String?, around: String,
        context: JudgementContext, span: SourceSpan
    ) -> Finding? {
        var pattern = Self.placeholderPattern(argument.text)
        if pattern.hasPrefix("~/"), let home = context.home { pattern = home + pattern.dropFirst() }
        if !pattern.hasPrefix("/"), !pattern.hasPrefix("*"), let directory { pattern = directory + "/" + pattern }
        if pattern.utf8.count <= Paths.maximumLength, pattern.count(where: { $0 == "*" }) <= Self.maximumStars,
            pattern.contains(where: { $0 != "*" && $0 != "/" && $0 != "." })
        {
            for entry in paths.entries {
                var candidate = entry.path
                while true {
                    if fnmatch(pattern, candidate, 0) == 0 {
                        return question(
                            "`\(argument.text)` is only known when the line runs, and it could be "
                                + "\(entry.kind.summary) (\(entry.path)).", span: span)
                    }
                    guard operation != .write, candidate != "/" else { break }
                    candidate = Paths.parent(candidate)
                }
            }
        }
        if let mentioned = mention(in: argument.text) ?? mention(in: around) {
            return question(
                "A file only known when the line runs is changed, and the command names `\(mentioned)`: it could be "
                    + "one of toolguard's own.", span: span)
        }
        return nil
    }

    /// The text with each unresolved expansion (`$X`, `${X…}`, `$(…)`, `<(…)`, `…`, `{}`) replaced by `*`.
    static func placeholderPattern(_ text: String) -> String {
        var result = ""
        var characters = Substring(text)
        while let character = characters.first {
            if characters.hasPrefix("$((…))") {
                characters = characters.dropFirst(6)
                result += "*"
            } else if characters.hasPrefix("$(…)") || characters.hasPrefix("<(…)") || characters.hasPrefix("`…`") {
                characters = characters.dropFirst(4)
                result += "*"
            } else if characters.hasPrefix("${") {
                characters = characters.dropFirst(2)
                characters = characters.drop { $0 != "}" }.dropFirst()
                result += "*"
            } else if character == "$", let next = characters.dropFirst().first,
                next.isLetter || next == "_" || next.isNumber || "@*#?!$-".contains(next)
            {
                characters = characters.dropFirst(2)
                if next.isLetter || next == "_" {
                    characters = characters.drop { $0.isLetter || $0.isNumber || $0 == "_" }
                }
                result += "*"
            } else if character == "…" {
                characters = characters.dropFirst()
                result += "*"
            } else if characters.hasPrefix("{}") {
                characters = characters.dropFirst(2)
                result += "*"
            } else {
                characters = characters.dropFirst()
                result.append(character)
            }
        }
        return result
    }

    /// The words bash's brace expansion makes of `text` (`{a,b}`, nested); at most 64, else the text with
    /// each brace group standing for anything.
    static func braceExpansions(_ text: String) -> [String] {
        guard text.contains("{"), text.contains(","), text.contains("}") else { return [text] }
        var results = [""]
        var characters = Array(text)
        var index = 0
        func group(from start: Int) -> (alternatives: [String], end: Int)? {
            var depth = 0
            var alternatives: [String] = []
            var current = ""
            var position = start + 1
            while position < characters.count {
                let character = characters[position]
                if character == "{" { depth += 1 }
                if character == "}" {
                    if depth == 0 {
                        alternatives.append(current)
                        return alternatives.count > 1 ? (alternatives, position) : nil
                    }
                    depth -= 1
                }
                if character == ",", depth == 0 {
                    alternatives.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
                position += 1
            }
            return nil
        }
        while index < characters.count {
            if characters[index] == "{", let (alternatives, end) = group(from: index) {
                let expanded = alternatives.flatMap { braceExpansions($0) }
                results = results.flatMap { prefix in expanded.map { prefix + $0 } }
                if results.count > 64 {
                    // Too many words to list: the shape alone is matched.
                    characters = Array(String(characters[..<index]) + "*" + String(characters[(end + 1)...]))
                    return [String(characters).replacingBraces()]
                }
                index = end + 1
            } else {
                results = results.map { $0 + String(characters[index]) }
                index += 1
            }
        }
        return results
    }

    /// `/proc/self/cwd/…` (and `/proc/<pid>/cwd`, `/proc/thread-self/cwd`) is the directory the command runs
    /// in; `/proc/self/root/…` is `/`.
    static func procSelf(_ path: String, directory: String) -> String {
        guard path.hasPrefix("/proc/") else { return path }
        let components = path.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: true)
        guard components.count >= 3 else { return path }
        let rest = components.count > 3 ? "/" + components[3] : ""
        switch components[2] {
        case "cwd": return Paths.normalize(directory + rest)
        case "root": return Paths.normalize("/" + rest)
        default: return path
        }
    }

    // MARK: Text that cannot be read

    /// The first spelling of a protected path in `text` (quotes and backslashes removed first, so
    /// `~/.cl''aude` is `~/.claude`), if any.
    func mention(in text: String) -> String? {
        guard !text.isEmpty else { return nil }
        var plain = text
        if text.contains(where: { $0 == "'" || $0 == "\"" || $0 == "\\" }) {
            plain = String(text.filter { $0 != "'" && $0 != "\"" && $0 != "\\" })
        }
        return spellings.first { plain.contains($0) }
    }

    // MARK: Interpreter code

    /// Inline code that names a protected path with a write, move, removal or mode change blocks; code that
    /// builds a path dynamically near such an operation, and names one in part, asks. `arguments` are the
    /// interpreter's (the code's own arguments among them). Reading stays allowed.
    func judgeCode(
        _ code: String, arguments: [Argument], directory: String?, context: JudgementContext, span: SourceSpan
    ) -> Finding? {
        guard ShellRules.codeChangesFiles(code) else { return nil }
        let removes = ["rmtree", "rm_rf", "rm_r", "rmSync", "removedirs", "rmdir", "rm -r", "rename", "move", "mv"]
            .contains { code.contains($0) }
        let operation: ProtectedPaths.Operation = removes ? .remove : .write
        let usesHome = ["expanduser", "Path.home", "homedir", "HOME", "Dir.home", "expand_path"].contains {
            code.contains($0)
        }
        for literal in ShellRules.stringLiterals(code) {
            for text in codePaths(literal, home: context.home, usesHome: usesHome) {
                guard let path = context.absolutePath(Value(text), relativeTo: directory) else { continue }
                if Self.isPattern(path) {
                    if let found = judgePattern(path, operation: operation, span: span) { return found }
                } else if let protected = paths.protects(path, operation: operation, files: context.files) {
                    return finding("The inline code changes a path it names: " + protected.reason, span: span)
                }
            }
        }
        if let mentioned = mention(in: code) {
            return question(
                "The inline code changes files and names `\(mentioned)`: it could change toolguard's own.", span: span)
        }
        if ShellRules.codeBuildsPaths(code) {
            let literals = Set(ShellRules.stringLiterals(code))
            if let name = protectedNames.first(where: { literals.contains($0) }) {
                return question(
                    "The inline code builds a path from the home directory, the environment or its arguments, changes "
                        + "files, and names `\(name)`.", span: span)
            }
            for argument in arguments.dropFirst() where !argument.isDynamic {
                if let path = context.absolutePath(argument.value, relativeTo: directory),
                    paths.protects(path, operation: .remove, files: context.files) != nil
                {
                    return question(
                        "The inline code changes files named by its arguments, and is given \(argument.text).",
                        span: span)
                }
            }
        }
        return nil
    }

    /// The paths a string literal in code may stand for: itself without a Perl open mode (`>file`), with the
    /// home directory's spellings replaced, and joined to the home directory when the code builds on it.
    func codePaths(_ literal: String, home: String?, usesHome: Bool) -> [String] {
        var text = Substring(literal)
        for prefix in ["+<", "+>", ">>", ">", "<"] where text.hasPrefix(prefix) {
            text = text.dropFirst(prefix.count)
            break
        }
        var path = String(text.drop { $0 == " " })
        guard !path.isEmpty, path.contains("/") || protectedNames.contains(path) || path.hasPrefix(".") else {
            return []
        }
        if let home {
            for spelling in [
                "$ENV{HOME}", "$ENV{'HOME'}", "$ENV{\"HOME\"}", "${HOME}", "$HOME", "#{Dir.home}",
                "#{ENV['HOME']}", "${os.homedir()}", "${process.env.HOME}",
            ]
            where path.contains(spelling) {
                path = path.replacingOccurrences(of: spelling, with: home)
            }
        }
        var paths = [path]
        if usesHome, let home, !path.hasPrefix("~"), !path.hasPrefix(home) {
            paths.append(home + (path.hasPrefix("/") ? "" : "/") + path)
        }
        return paths
    }

    /// Redirection operators that write their target (`>&` only with a file name, not `>&2`).
    static let writingRedirections: Set<String> = [">", ">>", ">|", "&>", "&>>", "<>", ">&"]

    /// Whether a redirection writes to a file named by its target.
    static func writes(_ operation: String, target: String) -> Bool {
        guard writingRedirections.contains(operation) else { return false }
        if operation == ">&" { return !(target == "-" || target.allSatisfy(\.isNumber)) }
        return true
    }
}

extension String {
    /// Brace groups replaced by `*`.
    fileprivate func replacingBraces() -> String {
        var result = ""
        var depth = 0
        for character in self {
            if character == "{" {
                if depth == 0 { result += "*" }
                depth += 1
            } else if character == "}", depth > 0 {
                depth -= 1
            } else if depth == 0 {
                result.append(character)
            }
        }
        return result
    }
}
