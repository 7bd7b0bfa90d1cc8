public import GuardKit

// The command that undoes a global cargo install or removal (SPEC §12), for `toolguard audit`:
// `cargo uninstall ripgrep` (with the same `--root`), and back.

extension Rust {
    /// `cargo install CRATE…` ↔ `cargo uninstall CRATE…`, in the same root.
    public func undo(_ invocation: Invocation, finding: Finding, in context: JudgementContext) -> String? {
        guard invocation.program == "cargo" else { return nil }
        var arguments = invocation.operands
        var toolchain: [String] = []
        if let first = arguments.first, !first.isDynamic, first.text.hasPrefix("+") {
            toolchain = [first.text]
            arguments = arguments.dropFirst()
        }
        let top = Self.undoGrammars.top.parse(arguments)
        guard let command = top.remainder.first?.text, command == "install" || command == "uninstall" else {
            return nil
        }
        let installs = command == "install"
        let parsed = (installs ? Self.undoGrammars.install : Self.undoGrammars.uninstall).parse(
            top.remainder.dropFirst())
        // A crate from a path or git repository is named by its manifest, which is not read here.
        if parsed.has("--path") || parsed.has("--git") { return nil }
        var crates: [String] = []
        for operand in parsed.operands {
            guard !operand.isDynamic, !operand.text.isEmpty else { return nil }
            // `ripgrep@14.1.0` names the crate before `@`.
            crates.append(installs ? String(operand.text.prefix { $0 != "@" }) : operand.text)
        }
        if !installs { crates += parsed.values("--package").map(\.text) }
        guard !crates.isEmpty else { return nil }
        var words = [invocation.arguments[0].text] + toolchain + [installs ? "uninstall" : "install"]
        if let root = parsed.value("--root") {
            guard !root.isDynamic else { return nil }
            words += ["--root", root.text]
        }
        return Quoting.command(words + crates)
    }

    /// cargo's grammars, from its description: before the command, and of `install` and `uninstall`.
    static let undoGrammars: (top: OptionGrammar, install: OptionGrammar, uninstall: OptionGrammar) = {
        let global = cargoOptions.map(\.option)
        func grammar(_ name: String) -> OptionGrammar {
            OptionGrammar(global + (cargo.commands.first { $0.name == name }?.options.map(\.option) ?? []))
        }
        return (OptionGrammar(global, stopsAtFirstOperand: true), grammar("install"), grammar("uninstall"))
    }()
}
