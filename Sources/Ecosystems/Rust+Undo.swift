public import GuardKit

// The command that undoes a global Rust install or removal (SPEC §12), for `toolguard audit`:
// `cargo uninstall ripgrep` (with the same `--root`), `rustup component remove …`, `rustup toolchain
// uninstall …`.

extension Rust {
    /// The undo of a cargo install or uninstall.
    public func undo(_ invocation: Invocation, finding: Finding, in context: JudgementContext) -> String? {
        let undo = RustUndo(invocation: invocation)
        switch invocation.program {
        case "cargo": return undo.cargo()
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
}
