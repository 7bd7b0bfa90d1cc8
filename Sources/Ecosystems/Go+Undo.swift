public import GuardKit

// The command that undoes a global `go install` (SPEC §12), for `toolguard audit`: go has no uninstall,
// so the undo removes each executable from the directory go wrote it to (GOBIN, else the first GOPATH
// entry's bin, else ~/go/bin): `rm ~/go/bin/gopls`.

extension Go {
    /// The undo of a `go install PKG@VERSION …`.
    public func undo(_ invocation: Invocation, finding: Finding, in context: JudgementContext) -> String? {
        let reader = GoCommand(module: self, invocation: invocation, context: context)
        var arguments = Array(invocation.operands)
        if let (_, count) = GoCommand.chdirFlag(arguments, at: 1) { arguments.removeSubrange(1..<(1 + count)) }
        guard arguments.first?.text == "install" else { return nil }
        let flags = GoCommand.Flags(Array(arguments.dropFirst()), valueFlags: GoCommand.buildValueFlags)
        // `-o` (Go 1.25) writes elsewhere; local packages (`.`, `./cmd/x`) are named by go.mod, not read here.
        if flags.value("o") != nil { return nil }
        var names: [String] = []
        for package in flags.operands {
            guard !package.isDynamic, let name = Self.executableName(package.text) else { return nil }
            names.append(name)
        }
        guard !names.isEmpty else { return nil }
        let bin: String
        if let (gobin, _) = reader.setting("GOBIN") {
            guard !gobin.isDynamic else { return nil }
            bin = gobin.text
        } else if let (gopath, _) = reader.setting("GOPATH") {
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
