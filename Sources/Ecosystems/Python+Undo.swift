public import GuardKit

// The command that undoes a global Python install or removal (SPEC §12), for `toolguard audit`: the same
// pip (resolved through PATH, as it ran: `/usr/bin/pip3 uninstall -y requests`), the same interpreter for
// `python -m pip`, uv, pipx and conda with the options that chose the environment.

extension Python {
    /// The undo of a pip, `python -m pip`, uv, pipx, pdm, poetry or conda install or removal.
    public func undo(_ invocation: Invocation, finding: Finding, in context: JudgementContext) -> String? {
        let undo = PythonUndo(invocation: invocation, context: context)
        switch invocation.program {
        case "pip": return undo.pip(tool: [undo.resolvedWord], arguments: invocation.operands)
        case "python", "py", "pypy": return undo.moduleRun()
        case "uv": return undo.uv()
        case "pipx": return undo.pipx()
        case "pipenv", "pdm", "hatch", "poetry":
            return DescribedJudge(ecosystem: id, descriptions: PythonCommand.projectManagers)
                .judge(invocation, in: context).undo
        case "conda", "mamba", "micromamba": return undo.conda()
        default: return nil
        }
    }
}

/// One Python command's undo being worked out.
struct PythonUndo {
    let invocation: Invocation
    let context: JudgementContext

    /// The program as it ran: resolved through PATH when it is a bare name, so the undo runs the same one.
    var resolvedWord: String {
        let word = invocation.arguments[0].text
        return context.resolveExecutable(word, environment: invocation.environment, directory: invocation.directory)
            ?? word
    }

    /// The distribution a requirement names (`requests[socks]>=2` → `requests`, `pkg @ https://…` → `pkg`,
    /// `dist/foo-1.0-py3-none-any.whl` → `foo`); `nil` for a directory, an archive or a URL with no name.
    static func distributionName(_ requirement: String) -> String? {
        var text = Substring(requirement)
        while text.first == " " { text = text.dropFirst() }
        if text.hasSuffix(".whl") {
            let file = text.split(separator: "/").last ?? text
            return file.split(separator: "-").first.map(String.init)
        }
        if text.contains("://"), !text.contains("@") { return nil }
        if text.hasPrefix(".") || text.hasPrefix("/") || text.hasPrefix("~") { return nil }
        let name = text.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
        if name.isEmpty || text.hasSuffix(".tar.gz") || text.hasSuffix(".zip") { return nil }
        let rest = text.dropFirst(name.count)
        // A path with no scheme (`src/pkg`) names no distribution.
        if rest.first == "/" { return nil }
        return String(name)
    }

    /// `[tool…] install|uninstall …` undone: uninstall what was installed, install what was removed.
    func pip(tool: [String], arguments: ArraySlice<Argument>) -> String? {
        let general = PythonCommand.pipGeneral.parse(arguments)
        guard let command = general.remainder.first, ["install", "uninstall"].contains(command.text) else { return nil }
        let installs = command.text == "install"
        let parsed = (installs ? PythonCommand.pipInstall : PythonCommand.pipUninstall).parse(
            general.remainder.dropFirst())
        let options = general.found + parsed.found
        // pip uninstall cannot reach a --target/--prefix/--root tree, and an editable names no distribution.
        if options.contains(where: { ["--target", "--prefix", "--root", "--editable"].contains($0.name) }) {
            return nil
        }
        var words = tool
        if let python = general.value("--python") { words += ["--python", python.text] }
        words += installs ? ["uninstall", "-y"] : ["install"]
        // An externally managed Python (PEP 668) refuses the uninstall as it refused the install.
        if options.contains(where: { $0.name == "--break-system-packages" })
            || invocation.environment.isTruthy("PIP_BREAK_SYSTEM_PACKAGES") == true
        {
            words.append("--break-system-packages")
        }
        if !installs, options.contains(where: { $0.name == "--user" }) { words.append("--user") }
        var named = false
        for file in options where file.name == "--requirement" {
            guard let value = file.value, !value.isDynamic else { return nil }
            words += ["-r", value.text]
            named = true
        }
        for operand in parsed.operands {
            guard !operand.isDynamic, let name = Self.distributionName(operand.text) else { return nil }
            words.append(installs ? name : operand.text)
            named = true
        }
        return named ? Quoting.command(words) : nil
    }

    /// `python -m pip …`: the same interpreter running pip.
    func moduleRun() -> String? {
        let operands = Array(invocation.operands)
        for (index, operand) in operands.enumerated() {
            if operand.text == "-m", index + 1 < operands.count, operands[index + 1].text == "pip" {
                return pip(tool: [resolvedWord, "-m", "pip"], arguments: operands[(index + 2)...])
            }
            if operand.text == "-mpip" {
                return pip(tool: [resolvedWord, "-m", "pip"], arguments: operands[(index + 1)...])
            }
            // The interpreter's own options come before `-m`; anything else is a script.
            if !operand.text.hasPrefix("-") { return nil }
        }
        return nil
    }

    /// Options of `uv pip install` that chose the environment, kept for the uninstall.
    static let uvEnvironmentOptions: Set<String> = [
        "--system", "--break-system-packages", "--python", "--target", "--prefix", "--directory", "--project",
    ]

    /// `uv pip install|uninstall` and `uv python install|uninstall`.
    func uv() -> String? {
        let general = PythonCommand.uvGlobal.parse(invocation.operands)
        guard general.remainder.count >= 2 else { return nil }
        let command = general.remainder[0].text
        let sub = general.remainder[1].text
        let rest = general.remainder.dropFirst(2)
        let tool = Quoting.word(invocation.arguments[0].text)
        if command == "python", sub == "install" || sub == "uninstall" {
            let versions = rest.filter { !$0.text.hasPrefix("-") }
            guard !versions.isEmpty, versions.allSatisfy({ !$0.isDynamic }) else { return nil }
            let opposite = sub == "install" ? "uninstall" : "install"
            return tool + " " + Quoting.command(["python", opposite] + versions.map(\.text))
        }
        guard command == "pip", sub == "install" || sub == "uninstall" else { return nil }
        let parsed = PythonCommand.uvCommand.parse(rest)
        let options = general.found + parsed.found
        if options.contains(where: { $0.name == "--editable" }) { return nil }
        var words = ["pip", sub == "install" ? "uninstall" : "install"]
        for option in options where Self.uvEnvironmentOptions.contains(option.name) {
            words.append(option.name)
            if let value = option.value {
                guard !value.isDynamic else { return nil }
                words.append(value.text)
            }
        }
        var named = false
        for file in options where file.name == "--requirement" {
            guard let value = file.value, !value.isDynamic else { return nil }
            words += ["-r", value.text]
            named = true
        }
        for operand in parsed.operands {
            guard !operand.isDynamic, let name = Self.distributionName(operand.text) else { return nil }
            words.append(sub == "install" ? name : operand.text)
            named = true
        }
        return named ? tool + " " + Quoting.command(words) : nil
    }

    /// `pipx --global install|uninstall PACKAGE`.
    func pipx() -> String? {
        let operands = Array(invocation.operands)
        guard let commandIndex = operands.firstIndex(where: { !$0.text.hasPrefix("-") }) else { return nil }
        let command = operands[commandIndex].text
        guard command == "install" || command == "uninstall" else { return nil }
        // pipx install's options that take a value; the first operand after them is the package.
        let valued: Set<String> = ["--python", "--suffix", "--index-url", "-i", "--pip-args", "--preinstall"]
        var index = commandIndex + 1
        var packages: [String] = []
        while index < operands.count {
            let text = operands[index].text
            if valued.contains(text) {
                index += 2
                continue
            }
            if !text.hasPrefix("-") {
                guard !operands[index].isDynamic, let name = Self.distributionName(text) else { return nil }
                packages.append(name)
            }
            index += 1
        }
        guard !packages.isEmpty else { return nil }
        let global = operands.contains { $0.text == "--global" } ? ["--global"] : []
        return Quoting.command(
            [invocation.arguments[0].text] + global + [command == "install" ? "uninstall" : "install"] + packages)
    }

    /// `conda install|remove` in an environment given by `-n`/`-p` (or the active one).
    func conda() -> String? {
        let grammar = OptionGrammar([
            .init("-n", "--name", value: true), .init("-p", "--prefix", value: true),
            .init("-c", "--channel", value: true), .init("-f", "--file", value: true), .init("-y", "--yes"),
        ])
        let parsed = grammar.parse(invocation.operands)
        guard let command = parsed.operands.first?.text else { return nil }
        let opposite: String
        switch command {
        case "install": opposite = "remove"
        case "remove", "uninstall": opposite = "install"
        default: return nil
        }
        var words = [invocation.arguments[0].text, opposite, "-y"]
        for option in parsed.found where option.name == "--name" || option.name == "--prefix" {
            guard let value = option.value, !value.isDynamic else { return nil }
            words += [option.name, value.text]
        }
        let packages = parsed.operands.dropFirst()
        guard !packages.isEmpty, packages.allSatisfy({ !$0.isDynamic }) else { return nil }
        // A match spec (`numpy=1.26`, `numpy>=1`) names its package before the version.
        words += packages.map { operand in
            opposite == "remove" ? String(operand.text.prefix { !"=<>! ".contains($0) }) : operand.text
        }
        return Quoting.command(words)
    }
}
