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
        case "yarn", "yarnpkg", "pnpm", "pn", "bun":
            // The command as the judge read it: its canonical names, options and package specs.
            guard
                let command = DescribedJudge(ecosystem: id, descriptions: NodeCommand.managerDescriptions)
                    .judge(invocation, in: context).command
            else { return nil }
            return undo.manager(command)
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

    /// `yarn global add …` ↔ `yarn global remove …`; `pnpm add -g …` ↔ `pnpm remove -g …` (and local
    /// ones); `bun add -g …` ↔ `bun remove -g …`. The options that chose the global place are kept.
    func manager(_ command: DescribedJudge.ReadCommand) -> String? {
        let yarn = invocation.program == "yarn" || invocation.program == "yarnpkg"
        var path = command.path
        if yarn {
            guard path.first == "global" else { return nil }
            path.removeFirst()
        }
        let opposite: String
        switch path {
        case ["add"], ["install"]: opposite = "remove"
        case ["remove"]: opposite = "add"
        default: return nil
        }
        guard let names = Self.packageNames(command.operands) else { return nil }
        var words = [tool] + (yarn ? ["global"] : []) + [opposite]
        if !yarn, command.has("--global") { words.append("-g") }
        let kept: Set<String> =
            yarn ? ["--prefix", "--global-folder"] : ["--global-dir", "--global-bin-dir"]
        for option in command.options where kept.contains(option.name) {
            guard let value = option.value, !value.isDynamic else { return nil }
            words += [option.name, value.text]
        }
        return Quoting.command(words + (opposite == "remove" ? names : command.operands.map(\.text)))
    }
}
