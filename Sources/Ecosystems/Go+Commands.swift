public import GuardKit

// The go commands the module judges itself, what only go does: `go get` in GOPATH mode, `go build -o`
// where commands are found, and `go env -w`, which writes the user-wide config file later commands read.

extension Go {
    static let get = CustomCommand(rules: [getGopath, localLocation, moduleCommand]) { GoQuery(query: $0).get() }
    static let build = CustomCommand(rules: [buildOutput, localLocation, moduleCommand]) { GoQuery(query: $0).build() }
    static let env = CustomCommand(rules: [envWrite, localLocation]) { GoQuery(query: $0).env() }
}

extension GoQuery {
    // MARK: go get

    func get() -> Judgement {
        let moduleRoot = directory.flatMap { context.nearestAncestor(of: $0, holding: "go.mod") }
        let mode = settings.setting("GO111MODULE")?.value
        if let mode, mode.isDynamic {
            return finding(
                Go.getGopath,
                "GO111MODULE=\(mode.text) is only known when the line runs: `go get` may run in "
                    + "GOPATH mode.", fix: getFix(moduleRoot: moduleRoot),
                verdict: .ask)
        }
        // Go ≥1.16: "on" or unset is module mode; "auto" is module mode inside a module; "off" is GOPATH mode.
        let gopathMode = mode?.text == "off"
        if !gopathMode, directory == nil {
            return finding(
                Go.getGopath,
                "`go get` runs in a directory only known when the line runs: whether it is inside a module (and "
                    + "`go get` only edits go.mod) or runs in GOPATH mode cannot be known.",
                fix: getFix(moduleRoot: moduleRoot), verdict: .ask)
        }
        if !gopathMode, moduleRoot == nil, let directory, !context.files.isDirectory(directory) {
            // `git clone … && cd repo && go get ./...`: the directory is made by an earlier part of the line, and
            // whether it holds a go.mod is not known.
            return finding(
                Go.getGopath,
                "`go get` runs in \(directory), which does not exist before the line runs: whether it holds a module "
                    + "cannot be known.",
                fix: getFix(moduleRoot: moduleRoot),
                verdict: .ask)
        }
        if !gopathMode, let moduleRoot {
            return finding(
                Go.moduleCommand,
                "`go get` in the module at \(moduleRoot) only edits its go.mod and go.sum and "
                    + "fills the module cache.", verdict: .allow)
        }
        let why =
            gopathMode
            ? "GO111MODULE=off makes `go get` run in GOPATH mode"
            : "there is no go.mod here or above, so `go get` runs outside a module (GOPATH mode before Go 1.18)"
        let fix = getFix(moduleRoot: moduleRoot)
        // GOPATH mode writes the first GOPATH entry (src, pkg, bin) and GOBIN: the project's only if both are.
        var locations: [(String, Value)] = []
        if let (gopath, _) = settings.setting("GOPATH") {
            let first = gopath.text.split(separator: ":").first.map(String.init) ?? gopath.text
            locations.append(("GOPATH", Value(first, isDynamic: gopath.isDynamic)))
        }
        if let (gobin, _) = settings.setting("GOBIN") { locations.append(("GOBIN", gobin)) }
        guard locations.first?.0 == "GOPATH" else {
            let gopath = (context.home ?? "~") + "/go"
            return finding(
                Go.getGopath, "\(why): it writes \(gopath)/src and \(gopath)/bin, shared by every project.",
                fix: fix)
        }
        var inside: [String] = []
        for (name, value) in locations {
            switch context.location(of: value, from: directory) {
            case .inside(let path, _): inside.append("\(name)=\(path)")
            case .outside(let path):
                return finding(Go.getGopath, "\(why): it writes \(path) (\(name)), outside the project.", fix: fix)
            case .unresolvable(let text):
                return finding(
                    Go.getGopath, "\(why): it writes \(name)=\(text), only known when the line runs.", fix: fix,
                    verdict: .ask)
            }
        }
        let setting = ((gopathMode ? ["GO111MODULE=off"] : []) + inside).map { Quoting.word($0) }.joined(separator: " ")
        return finding(
            Go.localLocation, "\(why), into \(inside.joined(separator: " and ")), inside the project.",
            fix: "\(setting) " + asWritten, verdict: .allow)
    }

    /// The module-mode way: `go get` in the project's module, made first when there is none; with no
    /// project at all, running the tool instead of installing it.
    func getFix(moduleRoot: String?) -> String {
        let modulePrefix = settings.setting("GO111MODULE")?.value.text == "off" ? "GO111MODULE=on " : ""
        if moduleRoot != nil { return modulePrefix + asWritten }
        guard let project = projectRoot else {
            // No project: make this directory a module (or, in home, a new directory), so `go get` edits it.
            if let directory, directory != context.home {
                return moduleInit(directory) + " && " + modulePrefix + asWritten
            }
            return "mkdir -p goproject && cd goproject && go mod init goproject && " + modulePrefix + asWritten
        }
        return moduleInit(project) + " && " + modulePrefix + asWritten
    }

    /// A module name made from a directory's name.
    func moduleName(_ directory: String) -> String {
        let base = Paths.basename(directory)
        let name = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
        return name.isEmpty || name.allSatisfy({ $0 == "-" || $0 == "." }) ? "project" : name
    }

    /// `go mod init NAME` at the project root, from the directory the shell is in.
    func moduleInit(_ project: String) -> String {
        let name = moduleName(project)
        guard let shell = invocation.directory, shell != project else { return "go mod init \(name)" }
        let place = Paths.relative(project, from: shell)
        return "go -C \(Quoting.word(place)) mod init \(name)"
    }

    // MARK: go build

    func build() -> Judgement {
        guard let output = query.value("--o"), let value = output.value else {
            guard directory.flatMap({ context.nearestAncestor(of: $0, holding: "go.mod") }) != nil else {
                return pass("`go build` outside a module")
            }
            return finding(
                Go.moduleCommand, "`go build` builds the module and writes its output in the project.",
                verdict: .allow)
        }
        if value.text == "/dev/null" { return pass("`go build -o /dev/null` only compiles: the output is discarded") }
        let fix = buildFix(output)
        switch context.location(of: value.value, from: directory) {
        case .inside(let path, _):
            return finding(Go.localLocation, "`go build -o` writes \(path), inside the project.", verdict: .allow)
        case .outside(let path):
            // Only an executable written where commands are found is installed; `/tmp/app` is an artifact.
            guard context.isCommandLocation(path, environment: invocation.environment) else {
                return pass(
                    "`go build -o \(path)` writes a build artifact outside the project, not where commands are found")
            }
            return finding(
                Go.buildOutput, "`go build -o` installs the executable at \(path), where commands are found.",
                fix: fix)
        case .unresolvable(let text):
            return finding(
                Go.buildOutput, "`go build -o \(text)` writes to a place only known when the line runs.", fix: fix,
                verdict: .ask)
        }
    }

    /// The same build with `-o` in the project's `bin/` (or no `-o`, where there is no project).
    func buildFix(_ output: ParsedOptions.Found) -> String {
        guard let value = output.value else { return asWritten }
        var replacement: String?
        if let directory, let project = projectRoot {
            let isDirectory = value.text.hasSuffix("/")
            let name = isDirectory ? "" : "/" + Paths.basename(value.text)
            replacement = Paths.relative(project + "/bin" + name, from: directory) + (isDirectory ? "/" : "")
        }
        var words = [Quoting.argument(invocation.arguments[0])]
        for argument in invocation.operands {
            // The grammar read `-o` as `--o`: the same word, by its span.
            if argument.span == output.written.span {
                guard let replacement else { continue }
                if let equals = argument.text.firstIndex(of: "=") {
                    words.append(Quoting.word(String(argument.text[...equals]) + replacement))
                } else {
                    words.append(Quoting.argument(argument))
                }
            } else if argument.span == value.span {
                if let replacement { words.append(Quoting.word(replacement)) }
            } else {
                words.append(Quoting.argument(argument))
            }
        }
        return words.joined(separator: " ")
    }

    // MARK: go env -w

    func env() -> Judgement {
        guard query.has("--w") else { return pass("`go env` without -w changes no setting") }
        if let file = invocation.environment["GOENV"], !file.text.isEmpty {
            if file.text == "off" { return pass("with GOENV=off, `go env -w` refuses to write") }
            switch context.location(of: file, from: invocation.directory) {
            case .inside(let path, _):
                var judgement = finding(
                    Go.localLocation,
                    "GOENV is \(path), inside the project: `go env -w` writes the project's "
                        + "own Go config file.", fix: "GOENV=\(Quoting.word(path)) " + asWritten, verdict: .allow)
                judgement.effects = envWriteEffects(query.operands)
                return judgement
            case .unresolvable(let text):
                return finding(
                    Go.envWrite, "`go env -w` writes GOENV=\(text), only known when the line runs.", verdict: .ask)
            case .outside:
                break
            }
        }
        var findings: [Finding] = []
        var replacements: [Argument: String?] = [:]
        let project = projectRoot
        for operand in query.operands {
            guard let equals = operand.text.firstIndex(of: "=") else { continue }
            let key = String(operand.text[..<equals])
            let text = String(operand.text[operand.text.index(after: equals)...])
            let value = Value(text, isDynamic: operand.isDynamic)
            switch key {
            case "GOBIN", "GOPATH":
                // An empty value unsets it; go refuses a relative GOPATH, and installs refuse a relative GOBIN.
                if text.isEmpty { continue }
                let first = key == "GOPATH" ? String(text.split(separator: ":").first ?? "") : text
                if !operand.isDynamic, !first.hasPrefix("/") { continue }
                replacements[operand] =
                    "\(key)="
                    + (project.map { projectPath($0, key == "GOBIN" ? "bin" : ".gopath") }
                        ?? (key == "GOBIN" ? "$PWD/bin" : "$PWD/.gopath"))
                switch context.location(of: Value(first, isDynamic: operand.isDynamic), from: directory) {
                case .inside(let path, _):
                    findings.append(
                        query.finding(
                            Go.localLocation, "\(key)=\(path) is inside the project.",
                            verdict: .allow))
                case .outside(let path):
                    findings.append(
                        query.finding(
                            Go.envWrite,
                            "`go env -w \(key)=\(path)` writes the user-wide Go config: every later "
                                + "`go install` goes outside the project.", fix: ""))
                case .unresolvable(let shown):
                    findings.append(
                        query.finding(
                            Go.envWrite,
                            "`go env -w \(key)=\(shown)` writes a place only known when the line runs into the "
                                + "user-wide Go config.", fix: "", verdict: .ask))
                }
            case "GO111MODULE" where value.isDynamic || text == "off":
                // GOPATH mode in the config file, where toolguard cannot see it, sends later `go get`s to GOPATH.
                replacements[operand] = .some(nil)
                findings.append(
                    query.finding(
                        Go.envWrite,
                        "`go env -w GO111MODULE=\(text)` makes every later `go get` run in GOPATH mode, "
                            + "writing $GOPATH/src and bin.", fix: "", verdict: value.isDynamic ? .ask : nil))
            default:
                continue
            }
        }
        let effects = envWriteEffects(query.operands)
        guard findings.contains(where: { $0.verdict > .allow }) else {
            var judgement = Judgement(findings: findings)
            judgement.effects = effects
            return judgement
        }
        let fix = envFix(replacements, project: project)
        var judgement = Judgement(
            findings: findings.map { finding in
                guard finding.verdict > .allow else { return finding }
                var fixed = finding
                fixed.fix = fix
                return fixed
            })
        judgement.effects = effects
        return judgement
    }

    /// What `go env -w` means for the rest of the line: every later go command reads the settings it
    /// wrote. They are modelled as variables, which go reads before the file — a variable already set
    /// keeps winning over the file (go only warns), so it is left alone.
    func envWriteEffects(_ operands: [Argument]) -> [Effect] {
        var effects: [Effect] = []
        for operand in operands {
            guard let equals = operand.text.firstIndex(of: "=") else { continue }
            let key = String(operand.text[..<equals])
            let text = String(operand.text[operand.text.index(after: equals)...])
            guard ["GOBIN", "GOPATH", "GO111MODULE"].contains(key), !text.isEmpty else { continue }
            if let current = invocation.environment[key], !current.text.isEmpty { continue }
            // go refuses relative GOBIN and GOPATH entries.
            if key != "GO111MODULE", !operand.isDynamic, !text.hasPrefix("/") { return [] }
            effects.append(.setVariable(key, Value(text, isDynamic: operand.isDynamic), exported: true))
        }
        return effects
    }

    /// The same `go env -w` with install locations in the project (a module made first where there is
    /// none) and GO111MODULE=off left out.
    func envFix(_ replacements: [Argument: String?], project: String?) -> String {
        var words = [Quoting.argument(invocation.arguments[0])]
        var operands = 0
        for argument in invocation.operands {
            if let replacement = replacements[argument] {
                guard let replacement else { continue }
                // Written unquoted: `$PWD` expands before go stores it.
                words.append(replacement)
            } else {
                words.append(Quoting.argument(argument))
            }
            if argument.text.contains("=") { operands += 1 }
        }
        let command = operands == 0 ? "go env -u GO111MODULE" : words.joined(separator: " ")
        if project != nil || operands == 0 { return command }
        let tools = directory.map { ($0 == "/" ? "" : $0) + "/tools" }
        if let tools, context.files.exists(tools + "/go.mod") { return "cd tools && " + command }
        return "mkdir -p tools && cd tools && go mod init tools && " + command
    }

}
