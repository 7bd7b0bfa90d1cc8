public import GuardKit

// The command that undoes a global `go install` (SPEC §12), for `toolguard audit`: go has no uninstall,
// so the undo removes each executable from the directory go wrote it to (GOBIN, else the first GOPATH
// entry's bin, else ~/go/bin): `rm ~/go/bin/gopls`.

extension Go {
    /// The undo of a `go install PKG@VERSION …`.
    public func undo(_ invocation: Invocation, finding: Finding, in context: JudgementContext) -> String? {
        // Read with the description's grammar, flags spelled as Go's flag package allows (`-C` is `--C`).
        let arguments = invocation.operands.map { argument in
            guard argument.text.hasPrefix("-"), !argument.text.hasPrefix("--"), argument.text.count > 1 else {
                return argument
            }
            return Argument("-" + argument.text, isDynamic: argument.isDynamic, span: argument.span)
        }
        let top = Self.undoGrammars.top.parse(arguments)
        guard top.remainder.first?.text == "install" else { return nil }
        let flags = Self.undoGrammars.install.parse(top.remainder.dropFirst())
        // `-o` (Go 1.25) writes elsewhere; local packages (`.`, `./cmd/x`) are named by go.mod, not read here.
        if flags.has("--o") { return nil }
        var names: [String] = []
        for package in flags.operands {
            guard !package.isDynamic, let name = Self.executableName(package.text) else { return nil }
            names.append(name)
        }
        guard !names.isEmpty else { return nil }
        let settings = GoSettings(
            environment: invocation.environment, context: context, directory: invocation.directory)
        let bin: String
        if let (gobin, _) = settings.setting("GOBIN") {
            guard !gobin.isDynamic else { return nil }
            bin = gobin.text
        } else if let (gopath, _) = settings.setting("GOPATH") {
            guard !gopath.isDynamic, let first = gopath.text.split(separator: ":").first else { return nil }
            bin = String(first) + "/bin"
        } else {
            bin = "~/go/bin"
        }
        let shown =
            context.home.map { bin == $0 || bin.hasPrefix($0 + "/") ? "~" + bin.dropFirst($0.count) : bin } ?? bin
        // `~` is left unquoted so that the shell expands it.
        return "rm "
            + names.map { name in
                let path = shown + "/" + name
                return path.hasPrefix("~/") ? "~/" + Quoting.word(String(path.dropFirst(2))) : Quoting.word(path)
            }.joined(separator: " ")
    }

    /// go's grammars, from its description: before the command, and of `install`.
    static let undoGrammars: (top: OptionGrammar, install: OptionGrammar) = {
        let global = globalOptions.map(\.option)
        let install = go.commands.first { $0.name == "install" }?.options.map(\.option) ?? []
        return (OptionGrammar(global, stopsAtFirstOperand: true), OptionGrammar(global + install))
    }()

    /// The executable `go install` names after a package path: its last element, or the one before a major
    /// version suffix (`example.com/cmd/v2` → `cmd`); `nil` for a local path or a pattern.
    static func executableName(_ package: String) -> String? {
        let path = package.prefix { $0 != "@" }
        guard !path.hasPrefix("."), !path.hasPrefix("/"), !path.contains("..."), path.contains(".") else {
            return nil
        }
        var elements = path.split(separator: "/")
        if let last = elements.last, elements.count > 1, last.count > 1, last.first == "v",
            last.dropFirst().allSatisfy(\.isNumber)
        {
            elements.removeLast()
        }
        return elements.last.map(String.init)
    }
}
