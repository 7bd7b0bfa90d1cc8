public import GuardKit

// The command that undoes a global Node install or removal (SPEC §12), for `toolguard audit`: the same
// package manager, in the same place (`npm uninstall -g typescript`, `--prefix DIR` kept), removing what
// it added or adding back what it removed.

extension Node {
    /// The undo of an npm, yarn, pnpm or bun install or removal.
    public func undo(_ invocation: Invocation, finding: Finding, in context: JudgementContext) -> String? {
        let undo = NodeUndo(invocation: invocation)
        switch invocation.program {
        case "npm": return undo.npm()
        case "yarn", "yarnpkg": return undo.yarn()
        case "pnpm": return undo.pnpm()
        case "bun": return undo.bun()
        default: return nil
        }
    }
}

/// One Node command's undo being worked out.
struct NodeUndo {
    let invocation: Invocation

    var tool: String { invocation.arguments[0].text }

    /// The package a spec names (`typescript@5` → `typescript`, `@types/node@20` → `@types/node`); `nil`
    /// for a tarball, a directory, a git or URL spec, which name no package until they are read.
    static func packageName(_ spec: Argument) -> String? {
        let text = spec.text
        guard !spec.isDynamic, !text.isEmpty, !text.hasPrefix("."), !text.hasPrefix("/"), !text.hasPrefix("~"),
            !text.contains(":") || text.contains("@npm:")
        else { return nil }
        let name = NodeCommand.packageName(text)
        // Without a scope, a slash is a GitHub shorthand (`user/repo`), not a name.
        if name.isEmpty || (!name.hasPrefix("@") && name.contains("/")) || name.hasSuffix(".tgz") { return nil }
        return name
    }

    /// Every spec's package name, or `nil` when one names none (or there are none).
    static func packageNames(_ specs: some Collection<Argument>) -> [String]? {
        var names: [String] = []
        for spec in specs {
            guard let name = packageName(spec) else { return nil }
            names.append(name)
        }
        return names.isEmpty ? nil : names
    }

    /// `npm install -g …` ↔ `npm uninstall -g …`; a local install outside any project is removed from the
    /// directory it went to.
    func npm() -> String? {
        let parsed = NpmOptions.parse(invocation.operands)
        guard let word = parsed.positionals.first, let command = NpmOptions.command(word.text) else { return nil }
        let opposite: String
        switch command {
        case "install": opposite = "uninstall"
        case "uninstall": opposite = "install"
        default: return nil
        }
        let specs = parsed.positionals.dropFirst()
        guard let names = Self.packageNames(specs) else { return nil }
        var global =
            invocation.environment.isTruthy("NPM_CONFIG_GLOBAL") == true
            || invocation.environment.isTruthy("npm_config_global") == true
        if case .flag(let on)? = parsed.options["global"] { global = on }
        if case .text(let location)? = parsed.options["location"] { global = location.text == "global" }
        var words = [tool, opposite]
        if global { words.append("-g") }
        if case .text(let prefix)? = parsed.options["prefix"] {
            guard !prefix.isDynamic else { return nil }
            words += ["--prefix", prefix.text]
        } else if !global, let directory = invocation.directory {
            words += ["--prefix", directory]
        }
        return Quoting.command(words + (opposite == "uninstall" ? names : specs.map(\.text)))
    }

    /// `yarn global add …` ↔ `yarn global remove …`.
    func yarn() -> String? {
        let grammar = NodeCommand.yarnGrammar.adding([])
        let parsed = grammar.parse(invocation.operands)
        let operands = parsed.operands
        guard operands.count >= 2, operands[0].text == "global" else { return nil }
        let opposite: String
        switch operands[1].text {
        case "add": opposite = "remove"
        case "remove": opposite = "add"
        default: return nil
        }
        guard let names = Self.packageNames(operands.dropFirst(2)) else { return nil }
        var words = [tool, "global", opposite]
        for option in parsed.found where option.name == "--prefix" || option.name == "--global-folder" {
            guard let value = option.value, !value.isDynamic else { return nil }
            words += [option.name, value.text]
        }
        return Quoting.command(words + (opposite == "remove" ? names : operands.dropFirst(2).map(\.text)))
    }

    /// `pnpm add -g …` ↔ `pnpm remove -g …`.
    func pnpm() -> String? {
        let top = NodeCommand.pnpmCommandGrammar.parse(invocation.operands)
        guard let word = top.remainder.first else { return nil }
        let command = NodeCommand.pnpmAliases[word.text] ?? word.text
        let parsed = NodeCommand.pnpmGrammar.parse(top.remainder.dropFirst())
        let options = top.found + parsed.found
        let opposite: String
        switch command {
        case "add", "install": opposite = "remove"
        case "remove": opposite = "add"
        default: return nil
        }
        guard let names = Self.packageNames(parsed.operands) else { return nil }
        var words = [tool, opposite]
        if options.contains(where: { $0.name == "--global" }) { words.append("-g") }
        for option in options where option.name == "--global-dir" || option.name == "--global-bin-dir" {
            guard let value = option.value, !value.isDynamic else { return nil }
            words += [option.name, value.text]
        }
        return Quoting.command(words + (opposite == "remove" ? names : parsed.operands.map(\.text)))
    }

    /// `bun add -g …` ↔ `bun remove -g …`.
    func bun() -> String? {
        let top = NodeCommand.bunCommandGrammar.parse(invocation.operands)
        guard let word = top.remainder.first else { return nil }
        let parsed = NodeCommand.bunGrammar.parse(top.remainder.dropFirst())
        let opposite: String
        switch word.text {
        case "add", "a", "install", "i": opposite = "remove"
        case "remove", "rm": opposite = "add"
        default: return nil
        }
        guard let names = Self.packageNames(parsed.operands) else { return nil }
        let global = (top.found + parsed.found).contains { $0.name == "--global" }
        return Quoting.command(
            [tool, opposite] + (global ? ["-g"] : []) + (opposite == "remove" ? names : parsed.operands.map(\.text)))
    }
}
