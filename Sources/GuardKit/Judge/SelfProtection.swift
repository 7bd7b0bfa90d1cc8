/// Keeps the agent from switching toolguard off (SPEC §8): running `toolguard trust/untrust/uninstall/pin`,
/// and writing, moving or deleting toolguard's configuration, state, pin manifest, binary, or the agent
/// settings that register the hook — through Bash or through the agent's own file tools.
public struct SelfProtection: Sendable {
    /// The ecosystem id self-protection findings carry.
    public static let ecosystem = "toolguard"
    /// The rule.
    public static let rule = Rule(
        "toolguard.self-protection", .block,
        "The agent may not change toolguard's own configuration, trust, pin, binary or hook registration.")

    /// toolguard's own subcommands that weaken protection or rewrite what protects it.
    static let protectedSubcommands: Set<String> = ["trust", "untrust", "uninstall", "pin"]

    /// The agent's file tools that write to `tool_input.file_path`.
    public static let fileTools: Set<String> = ["Write", "Edit", "MultiEdit", "NotebookEdit"]

    /// The paths protected.
    public let paths: ProtectedPaths

    /// Creates self-protection for these paths.
    public init(paths: ProtectedPaths) {
        self.paths = paths
    }

    /// A finding for a file tool writing `path`, if it is protected.
    public func judgeFileTool(path: String, directory: String?, span: SourceSpan) -> Finding? {
        guard let protected = paths.protects(path, operation: .write, relativeTo: directory) else { return nil }
        return finding(protected.reason, span: span)
    }

    func finding(_ reason: String, span: SourceSpan) -> Finding {
        Finding(
            verdict: .block, ecosystem: Self.ecosystem, rule: Self.rule.id, span: span, reason: reason,
            fix: "Ask the person to run it themselves, outside the agent.")
    }

    /// Findings for one command: toolguard's own protected subcommands, and the files the command writes or
    /// removes.
    func judge(
        _ arguments: [Argument], program: String, directory: String?, context: JudgementContext, span: SourceSpan
    ) -> [Finding] {
        // The caller asks only for programs in `programsToCheck`.
        let operands = Array(arguments.dropFirst())
        if program == "toolguard", let subcommand = operands.first(where: { !$0.text.hasPrefix("-") }),
            Self.protectedSubcommands.contains(subcommand.text)
        {
            return [
                finding(
                    "`toolguard \(subcommand.text)` changes what protects this machine; only a person may run it.",
                    span: span)
            ]
        }
        var findings: [Finding] = []
        for (target, operation) in Self.targets(program: program, operands: operands) {
            if let finding = judgePath(target, operation: operation, directory: directory, context: context, span: span)
            {
                findings.append(finding)
            }
        }
        return findings
    }

    /// A finding when writing or removing `target` touches a protected path.
    func judgePath(
        _ target: Argument, operation: ProtectedPaths.Operation, directory: String?, context: JudgementContext,
        span: SourceSpan
    ) -> Finding? {
        if target.isDynamic {
            // `rm -rf $DIR` cannot be checked; only a value that visibly names toolguard's files is judged.
            return nil
        }
        guard let path = context.absolutePath(target.value, relativeTo: directory),
            let protected = paths.protects(path, operation: operation, files: context.files)
        else { return nil }
        return finding(protected.reason, span: span)
    }

    /// toolguard itself and every program `targets(program:operands:)` knows.
    static let programsToCheck: Set<String> = [
        "toolguard", "tee", "touch", "truncate", "chmod", "chown", "chgrp", "setfacl", "chattr", "rm", "rmdir",
        "unlink",
        "shred", "srm", "trash", "trash-put", "cp", "install", "ln", "rsync", "dd", "mv", "sed", "perl", "ruby",
    ]

    /// The paths a file-changing command writes (`.write`) or removes (`.remove`).
    static func targets(program: String, operands: [Argument]) -> [(Argument, ProtectedPaths.Operation)] {
        let files = operands.filter { !$0.text.hasPrefix("-") || $0.text == "-" }
        switch program {
        case "tee", "touch", "truncate", "chmod", "chown", "chgrp", "setfacl", "chattr":
            let skipFirst = ["chmod", "chown", "chgrp", "setfacl", "chattr"].contains(program)
            return files.dropFirst(skipFirst ? 1 : 0).map { ($0, .write) }
        case "rm", "rmdir", "unlink", "shred", "srm", "trash", "trash-put":
            return files.map { ($0, .remove) }
        case "cp", "install", "ln", "rsync", "dd":
            if program == "dd" {
                return operands.filter { $0.text.hasPrefix("of=") }.map {
                    (Argument(String($0.text.dropFirst(3)), isDynamic: $0.isDynamic, span: $0.span), .write)
                }
            }
            if let target = targetDirectory(operands) { return [(target, .write)] }
            return files.last.map { [($0, .write)] } ?? []
        case "mv":
            var result: [(Argument, ProtectedPaths.Operation)] = files.dropLast().map { ($0, .remove) }
            if let target = targetDirectory(operands) {
                result = files.map { ($0, .remove) } + [(target, .write)]
            } else if let last = files.last {
                result.append((last, .write))
            }
            return result
        case "sed", "perl", "ruby":
            // In-place editing rewrites every file operand.
            guard
                operands.contains(where: {
                    $0.text == "-i" || $0.text.hasPrefix("-i") || $0.text.hasPrefix("--in-place")
                })
            else { return [] }
            return files.dropFirst().map { ($0, .write) }
        default:
            return []
        }
    }

    /// `-t DIR` / `--target-directory=DIR` (cp, mv, install, ln).
    static func targetDirectory(_ operands: [Argument]) -> Argument? {
        for (index, operand) in operands.enumerated() {
            if operand.text == "-t", index + 1 < operands.count { return operands[index + 1] }
            if operand.text.hasPrefix("--target-directory=") {
                return Argument(String(operand.text.dropFirst(19)), isDynamic: operand.isDynamic, span: operand.span)
            }
        }
        return nil
    }

    /// Redirection operators that write their target.
    static let writingRedirections: Set<String> = [">", ">>", ">|", "&>", "&>>", "<>"]
}
