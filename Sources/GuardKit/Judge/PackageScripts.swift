/// Project scripts (SPEC §3.1 "Package scripts"): a module says which scripts a command runs and where
/// they live (`ProjectScripts`); here they are read from the manifest with GuardKit's JSON reader and
/// judged as shell code, in their directory, with the module's PATH additions.
extension Evaluator {
    mutating func runProjectScripts(
        _ sets: [ProjectScripts], environment: Environment, elevated: Bool, wrappers: [String], span: SourceSpan
    ) {
        for set in sets {
            guard let table = scriptTable(set.manifest, table: set.table, entries: set.entries) else { continue }
            let present = set.names.filter { table[$0] != nil }
            guard !present.isEmpty else { continue }
            guard fileRuns.depth < FileRuns.maximumDepth else {
                // Scripts that run scripts this deep (`"a": "npm run a"`): judged as unreadable.
                judgeUnreadable(span)
                continue
            }
            var scriptEnvironment = environment
            if !set.pathPrefixes.isEmpty {
                let old = environment["PATH"] ?? Value("")
                let prefix = set.pathPrefixes.joined(separator: ":")
                scriptEnvironment["PATH"] = Value(
                    old.text.isEmpty ? prefix : prefix + ":" + old.text, isDynamic: old.isDynamic)
            }
            for (name, value) in set.environmentChanges { scriptEnvironment[name] = value ?? nil }
            let manifestName = Paths.display(set.manifest, from: shell.directory)
            for name in present {
                var code = table[name] ?? ""
                if name == set.mainScript, !set.extraArguments.isEmpty {
                    code += " " + set.extraArguments.map(Quoting.argument).joined(separator: " ")
                }
                guard fileRuns.judgedLeft >= code.utf8.count else {
                    judgeUnreadableFile(
                        "\(manifestName) scripts.\(name)", why: Reasons.pastLineBudget, span: span)
                    continue
                }
                fileRuns.judgedLeft -= code.utf8.count
                let origin = FileOrigin(name: "\(manifestName) scripts.\(name)", bytes: Array(code.utf8))
                let first = findings.count
                let traceStart = trace.count
                record(
                    [Argument(set.runner, span: span), Argument(name, span: span)], directory: set.directory,
                    ecosystem: nil, wrappers: wrappers,
                    notes: ["\(set.runner) runs the `\(name)` script of \(manifestName) through sh"], span: span,
                    verdict: .pass)
                runTextInChildShell(
                    code, origin: origin, directory: set.directory, environment: scriptEnvironment,
                    elevated: elevated, wrappers: wrappers, span: span, first: first, traceStart: traceStart)
            }
        }
    }

    /// The manifest's script table (`scripts` of package.json): names to shell code, read once per line.
    /// `nil` when there is no such file, it is not a JSON object, or it has no such table.
    mutating func scriptTable(
        _ manifest: String, table: String, entries: ScriptEntries = ScriptEntries()
    ) -> [String: String]? {
        let key = manifest + "\u{0}" + table + (entries.isPlain ? "" : "\u{0}described")
        if let cached = fileRuns.scriptTables[key] { return cached }
        var result: [String: String]?
        if case .text(let text)? = fileText(manifest, span: 0..<0), text.isComplete, !text.isSpecial,
            !text.isBinary, let value = try? JSONValue.parse(text.bytes), let object = value[table]?.objectValue
        {
            var scripts: [String: String] = [:]
            for (name, code) in object {
                if entries.isPlain {
                    if let code = code.stringValue { scripts[name] = code }
                } else if let code = code.stringValue {
                    scripts[name] = entries.shellCode([code])
                } else if let key = entries.objectCommandKey, let object = code.objectValue {
                    // Its dependencies run first, each as the runner runs a script by name.
                    let dependencies = entries.objectDependenciesKey.flatMap { object[$0]?.arrayValue } ?? []
                    let lines = dependencies.compactMap(\.stringValue).map { entries.runner + " " + Quoting.word($0) }
                    scripts[name] = entries.shellCode(lines + [object[key]?.stringValue].compactMap { $0 })
                } else if entries.allowsLists, let list = code.arrayValue {
                    // A list runs its entries in order; one that is no string is not shell code.
                    scripts[name] = entries.shellCode(list.compactMap(\.stringValue))
                }
            }
            result = scripts
        }
        fileRuns.scriptTables[key] = .some(result)
        return result
    }
}
