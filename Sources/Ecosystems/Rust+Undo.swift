public import GuardKit

// The command that undoes a global Rust install or removal (SPEC §12), for `toolguard audit`:
// `cargo uninstall ripgrep` (with the same `--root`), `rustup component remove …`, `rustup toolchain
// uninstall …`.

extension Rust {
    /// The undo of a cargo install or uninstall, or of a rustup toolchain, component or target change.
    public func undo(_ invocation: Invocation, finding: Finding, in context: JudgementContext) -> String? {
        let undo = RustUndo(invocation: invocation)
        switch invocation.program {
        case "cargo": return undo.cargo()
        case "rustup": return undo.rustup()
        default: return nil
        }
    }
}

/// One Rust command's undo being worked out.
struct RustUndo {
    let invocation: Invocation

    var tool: String { invocation.arguments[0].text }

    /// `cargo install CRATE…` ↔ `cargo uninstall CRATE…`, in the same root.
    func cargo() -> String? {
        var arguments = invocation.operands
        var toolchain: [String] = []
        if let first = arguments.first, !first.isDynamic, first.text.hasPrefix("+") {
            toolchain = [first.text]
            arguments = arguments.dropFirst()
        }
        let top = RustCommand.cargoTop.parse(arguments)
        guard let command = top.remainder.first?.text, command == "install" || command == "uninstall" else {
            return nil
        }
        let installs = command == "install"
        let parsed = (installs ? RustCommand.cargoInstall : RustCommand.cargoUninstall).parse(
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
        var words = [tool] + toolchain + [installs ? "uninstall" : "install"]
        if let root = parsed.value("--root") {
            guard !root.isDynamic else { return nil }
            words += ["--root", root.text]
        }
        return Quoting.command(words + crates)
    }

    /// `rustup toolchain install` ↔ `uninstall`, `component add` ↔ `remove`, `target add` ↔ `remove`.
    func rustup() -> String? {
        var arguments = invocation.operands
        var toolchain: [String] = []
        if let first = arguments.first, !first.isDynamic, first.text.hasPrefix("+") {
            toolchain = [first.text]
            arguments = arguments.dropFirst()
        }
        let top = RustCommand.rustupTop.parse(arguments)
        let words = top.remainder.map(\.text)
        guard let command = words.first else { return nil }
        func names(_ rest: ArraySlice<Argument>, grammar: OptionGrammar) -> (names: [String], options: [String])? {
            let parsed = grammar.parse(rest)
            guard !parsed.operands.isEmpty, parsed.operands.allSatisfy({ !$0.isDynamic }) else { return nil }
            var options: [String] = []
            for option in parsed.found where option.name == "--toolchain" {
                guard let value = option.value, !value.isDynamic else { return nil }
                options += ["--toolchain", value.text]
            }
            return (parsed.operands.map(\.text), options)
        }
        switch command {
        case "install":
            guard let found = names(top.remainder.dropFirst(), grammar: RustCommand.rustupInstall) else { return nil }
            return Quoting.command([tool, "toolchain", "uninstall"] + found.names)
        case "toolchain", "component", "target":
            guard words.count >= 2 else { return nil }
            let sub = words[1]
            let rest = top.remainder.dropFirst(2)
            let grammar = command == "toolchain" ? RustCommand.rustupInstall : RustCommand.rustupComponent
            guard let found = names(rest, grammar: grammar) else { return nil }
            let opposite: String
            switch (command, sub) {
            case ("toolchain", "install"), ("toolchain", "add"): opposite = "uninstall"
            case ("toolchain", _) where RustCommand.removeAliases.contains(sub): opposite = "install"
            case (_, "add"): opposite = "remove"
            case (_, _) where RustCommand.removeAliases.contains(sub): opposite = "add"
            default: return nil
            }
            return Quoting.command([tool] + toolchain + [command, opposite] + found.options + found.names)
        default:
            return nil
        }
    }
}
