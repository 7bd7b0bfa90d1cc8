public import GuardKit

// The command that undoes a global gem install or removal (SPEC §12), for `toolguard audit`:
// `gem uninstall rails`, with the version and the gem directory the install chose.

extension Ruby {
    /// The undo of a `gem install` or `gem uninstall`.
    public func undo(_ invocation: Invocation, finding: Finding, in context: JudgementContext) -> String? {
        guard invocation.program == "gem" else { return nil }
        let operands = Array(invocation.operands)
        guard let index = operands.firstIndex(where: { !$0.text.hasPrefix("-") }), !operands[index].isDynamic,
            let command = Self.gemCommand(operands[index].text), command == "install" || command == "uninstall"
        else { return nil }
        let installs = command == "install"
        let grammar = GemGrammar.grammar(for: command)
        let rest = operands[..<index] + operands[(index + 1)...]
        let parsed = grammar.parse(GemGrammar.normalize(rest, grammar: grammar).arguments)
        var gems: [String] = []
        for operand in parsed.operands {
            guard !operand.isDynamic, !operand.text.isEmpty, !operand.text.hasSuffix(".gem") else { return nil }
            // `rails:7.1.0` is a gem and its version.
            gems.append(String(operand.text.prefix { $0 != ":" }))
        }
        guard !gems.isEmpty else { return nil }
        var words = [invocation.arguments[0].text, installs ? "uninstall" : "install"]
        for option in parsed.found {
            switch option.name {
            case "--install-dir", "--bindir", "--version":
                guard let value = option.value, !value.isDynamic else { return nil }
                words += [option.name, value.text]
            case "--user-install":
                words.append(option.name)
            default:
                break
            }
        }
        return Quoting.command(words + gems)
    }

    /// A gem command word as RubyGems reads it: an alias, the command, or a unique prefix of one.
    static func gemCommand(_ word: String) -> String? {
        if let alias = GemGrammar.aliases[word] { return alias }
        if GemGrammar.commands.contains(word) { return word }
        let matches = GemGrammar.commands.filter { $0.hasPrefix(word) }
        return matches.count == 1 ? matches[0] : nil
    }
}
