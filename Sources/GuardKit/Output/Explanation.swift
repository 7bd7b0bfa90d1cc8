/// `toolguard explain`: how a command was read and judged, for a person (text) or a program (JSON).
public enum Explanation {
    /// The version of the JSON object's shape.
    public static let schema = 1

    /// One sentence for a finding: the rule, why, and what to do instead.
    /// Agents cap a hook's reason (Claude Code at 10,000 characters); a fix built from a huge command line
    /// is shortened well before that, so the reason's start — the rule and why — always arrives.
    static let maximumSentenceLength = 4000

    public static func sentence(for finding: Finding) -> String {
        var text =
            "toolguard \(finding.verdict == .block ? "blocked" : "asks about") this (\(finding.rule)): "
            + finding.reason
        if let fix = finding.fix { text += " Instead: \(fix)" }
        guard text.count > maximumSentenceLength else { return text }
        return String(text.prefix(maximumSentenceLength)) + "…"
    }

    /// The human trace. `colour` adds ANSI colours (only when stdout is a terminal and NO_COLOR is unset).
    public static func text(_ report: Report, directory: String, notices: [String] = [], colour: Bool) -> String {
        let style = Style(enabled: colour)
        var lines: [String] = []
        let decisive = report.decisiveFinding
        lines.append(contentsOf: pointer(report.command, at: decisive?.span, label: decisive?.rule, style: style))
        lines.append("directory  \(directory)")
        lines.append("")
        var number = 0
        for event in report.trace {
            switch event {
            case .state(let change):
                lines.append("   \(style.dim("→ " + change.description))")
            case .part(let part):
                number += 1
                let words = Quoting.command(part.arguments)
                lines.append("\(String(number).leftPadded(2)) \(style.bold(words))  \(style.verdict(part.verdict))")
                if !part.wrappers.isEmpty {
                    lines.append("   through  \(part.wrappers.joined(separator: " → "))")
                }
                lines.append("   runs in  \(part.directory ?? "(a directory only known when the line runs)")")
                for note in part.notes { lines.append("   read     \(note)") }
                for finding in part.findings {
                    lines.append("   \(finding.verdict.description.padded(8)) \(finding.rule): \(finding.reason)")
                    if let fix = finding.fix { lines.append("   fix      \(fix)") }
                }
            }
        }
        if number == 0 { lines.append("   (no command runs)") }
        let loose = report.findings.filter { finding in !report.parts.contains { $0.findings.contains(finding) } }
        for finding in loose {
            lines.append("   \(finding.verdict.description.padded(8)) \(finding.rule): \(finding.reason)")
            if let fix = finding.fix { lines.append("   fix      \(fix)") }
        }
        lines.append("")
        lines.append("verdict    \(style.verdict(report.verdict))\(decisive.map { " (\($0.rule))" } ?? "")")
        switch report.verdict {
        case .block: lines.append("           the hook denies it")
        case .ask: lines.append("           the hook asks the person")
        case .allow: lines.append("           recognised as project-local; the hook lets it run")
        case .pass: lines.append("           nothing toolguard guards; the hook lets it run")
        }
        if let decisive {
            lines.append("reason     \(decisive.reason)")
            if let fix = decisive.fix { lines.append("fix        \(fix)") }
        }
        for notice in notices { lines.append("note       \(notice)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The command with the part that decided the verdict marked under it, the way compilers point at an error.
    static func pointer(_ command: String, at span: SourceSpan?, label: String?, style: Style) -> [String] {
        let bytes = Array(command.utf8)
        guard let span, span.lowerBound < bytes.count || bytes.isEmpty else {
            return command.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
                ($0.offset == 0 ? "command    " : "           ") + $0.element
            }
        }
        var lines: [String] = []
        var lineStart = 0
        var index = 0
        for line in command.split(separator: "\n", omittingEmptySubsequences: false) {
            let length = line.utf8.count
            lines.append((index == 0 ? "command    " : "           ") + line)
            let lineEnd = lineStart + length
            if span.lowerBound >= lineStart, span.lowerBound <= lineEnd {
                let prefix = String(decoding: bytes[lineStart..<span.lowerBound], as: UTF8.self)
                let upper = min(span.upperBound, lineEnd)
                let marked = String(decoding: bytes[span.lowerBound..<max(upper, span.lowerBound)], as: UTF8.self)
                let indent = String(prefix.map { $0 == "\t" ? "\t" : " " })
                let carets = String(repeating: "^", count: max(1, marked.count))
                lines.append("           " + indent + style.red(carets) + (label.map { " " + $0 } ?? ""))
            }
            lineStart = lineEnd + 1
            index += 1
        }
        return lines
    }

    /// The stable JSON object (schema 1).
    public static func json(_ report: Report, notices: [String] = []) -> String {
        let bytes = Array(report.command.utf8)
        func text(of span: SourceSpan) -> String {
            let lower = min(max(0, span.lowerBound), bytes.count)
            let upper = min(max(lower, span.upperBound), bytes.count)
            return String(decoding: bytes[lower..<upper], as: UTF8.self)
        }
        let findings: [JSONValue] = report.findings.map { finding in
            .object([
                "verdict": .string(finding.verdict.description), "ecosystem": .string(finding.ecosystem),
                "rule": .string(finding.rule),
                "span": .array([JSONValue(finding.span.lowerBound), JSONValue(finding.span.upperBound)]),
                "text": .string(text(of: finding.span)), "reason": .string(finding.reason),
                "fix": finding.fix.map(JSONValue.string) ?? .null,
            ])
        }
        let parts: [JSONValue] = report.parts.map { part in
            .object([
                "argv": .array(part.arguments.map(JSONValue.string)),
                "cwd": part.directory.map(JSONValue.string) ?? .null,
                "ecosystem": part.ecosystem.map(JSONValue.string) ?? .null,
                "wrappers": .array(part.wrappers.map(JSONValue.string)),
                "verdict": .string(part.verdict.description),
                "span": .array([JSONValue(part.span.lowerBound), JSONValue(part.span.upperBound)]),
            ])
        }
        let object: JSONValue = .object([
            "schema": JSONValue(schema), "verdict": .string(report.verdict.description),
            "command": .string(report.command), "findings": .array(findings), "parts": .array(parts),
            "notices": .array(notices.map(JSONValue.string)),
        ])
        return object.serialized(style: .compact, trailingNewline: true)
    }
}

/// ANSI styling that can be switched off.
struct Style {
    let enabled: Bool

    func wrap(_ text: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func red(_ text: String) -> String { wrap(text, "31;1") }

    func verdict(_ verdict: Verdict) -> String {
        switch verdict {
        case .block: wrap("block", "31;1")
        case .ask: wrap("ask", "33;1")
        case .allow: wrap("allow", "32")
        case .pass: wrap("pass", "2")
        }
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
