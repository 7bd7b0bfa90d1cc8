/// `toolguard rules`: every rule toolguard can fire, grouped by who fires it — each ecosystem module, the
/// reader (`shell`) and self-protection (`toolguard`) — with its verdict and one-line summary. What a person
/// reads to understand a block, or to decide which ecosystems to switch on.
public struct RuleCatalogue: Sendable {
    /// The rules of one module, or of the engine's reader or self-protection.
    public struct Group: Sendable {
        /// The ecosystem id the rules' findings carry (`python`, `shell`, `toolguard`).
        public let ecosystem: String
        /// One line on what the group guards.
        public let summary: String
        /// Its rules, in the order it lists them.
        public let rules: [Rule]
    }

    /// The groups: the modules in the order given, then the reader, then self-protection.
    public let groups: [Group]

    /// The catalogue of these modules' rules and the engine's own.
    public init(ecosystems: [any Ecosystem]) {
        groups =
            ecosystems.map { Group(ecosystem: $0.id, summary: $0.summary, rules: $0.rules) } + [
                Group(ecosystem: ShellRules.ecosystem, summary: ShellRules.summary, rules: ShellRules.all),
                Group(ecosystem: SelfProtection.ecosystem, summary: SelfProtection.summary, rules: SelfProtection.all),
            ]
    }

    /// The catalogue as text: a heading per group, then one line per rule (verdict, id, summary).
    public var text: String {
        let idWidth = groups.flatMap(\.rules).map(\.id.count).max() ?? 0
        var lines: [String] = []
        for group in groups {
            if !lines.isEmpty { lines.append("") }
            lines.append("\(group.ecosystem) — \(group.summary)")
            for rule in group.rules {
                lines.append("  \(rule.verdict.description.padded(5))  \(rule.id.padded(idWidth))  \(rule.summary)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The catalogue as a stable, versioned JSON object: `{"schema":1,"rules":[{"id","ecosystem","verdict",
    /// "summary"}]}`, rules in the text's order.
    public var json: String {
        let rules: [JSONValue] = groups.flatMap { group in
            group.rules.map { rule in
                [
                    "id": .string(rule.id), "ecosystem": .string(group.ecosystem),
                    "verdict": .string(rule.verdict.description), "summary": .string(rule.summary),
                ] as JSONValue
            }
        }
        let value: JSONValue = ["schema": 1, "rules": .array(rules)]
        return value.serialized(style: .pretty(indent: 2), trailingNewline: true)
    }
}
