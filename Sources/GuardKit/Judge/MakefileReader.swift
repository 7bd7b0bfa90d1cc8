/// GNU make's reading of makefiles, as far as toolguard needs it: the rules, the variables with make's
/// precedence, and the recipe lines that run for the goals, expanded. From the GNU make manual
/// (Reading Makefiles, Flavors, Override Directive, Target-specific, Conditionals, Functions,
/// Automatic Variables, Recipe Syntax, One Shell, Instead of Execution).
///
/// Text that make only knows when it runs (`$(shell …)`, `$(wildcard …)`, functions not evaluated here,
/// variables set under a condition that cannot be decided) expands to `unknownMarker`, a shell parameter
/// that is never set, so that the word holding it is dynamic for the shell reader.
struct MakefileReader {
    /// Expands, in the shell, to nothing known: makes the word that holds it dynamic.
    static let unknownMarker = "${__toolguard_make_unknown__}"
    /// Expansion produces at most this much text per make run; past it, text is unknown.
    static let maximumExpansion = 1 << 21
    /// Variables referring to variables this deep are unknown (`A = $(A)` is an error in make).
    static let maximumExpansionDepth = 32

    enum Origin: Int, Comparable {
        case environment, file, environmentOverride, commandLine, override
        static func < (lhs: Origin, rhs: Origin) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    struct Variable {
        var value: String
        var recursive: Bool
        var origin: Origin
        var exported = false
    }

    /// A recipe line as written, and where.
    struct RecipeLine {
        var text: String
        var file: String
        var line: Int
    }

    struct Rule {
        var targets: [String]
        var prerequisites: [String]
        var recipe: [RecipeLine]
        var doubleColon: Bool
        /// For a pattern rule: the target pattern holding `%`.
        var pattern: String?
    }

    /// A target-specific assignment: `target: [override] VAR op value`.
    struct TargetAssignment {
        var name: String
        var operation: String
        var value: String
        var override: Bool
    }

    var variables: [String: Variable] = [:]
    var rules: [String: [Rule]] = [:]
    var patternRules: [Rule] = []
    var targetAssignments: [String: [TargetAssignment]] = [:]
    var firstTarget: String?
    /// Single-colon targets named again by a later rule: a recipe that follows replaces the old one.
    var recipeReplaced: Set<String> = []
    var oneShell = false
    /// Commands make runs while reading (`$(shell …)`, `!=`), with the file and line they come from.
    var parseTimeCommands: [RecipeLine] = []
    /// Makefiles named by `include`, to be read by the caller (which owns file access and limits).
    var directory: String
    var expansionLeft = maximumExpansion
    /// Where the line being read comes from, for naming `$(shell …)` commands.
    var currentFile = ""
    var currentLine = 0

    init(directory: String, environment: [String: Value], commandLine: [(String, String)], environmentOverrides: Bool) {
        self.directory = directory
        for (name, value) in environment where name != "SHELL" && name != "MAKEFLAGS" {
            // An environment value that is itself unknown stays unknown.
            variables[name] = Variable(
                value: value.isDynamic ? Self.unknownMarker : Self.escapeDollars(value.text), recursive: true,
                origin: environmentOverrides ? .environmentOverride : .environment, exported: true)
        }
        variables["SHELL"] = Variable(value: "/bin/sh", recursive: false, origin: .file)
        variables["MAKE"] = Variable(value: "make", recursive: false, origin: .file)
        variables["CURDIR"] = Variable(value: directory, recursive: false, origin: .file)
        for (name, value) in commandLine {
            variables[name] = Variable(value: value, recursive: true, origin: .commandLine, exported: true)
        }
    }

    static func escapeDollars(_ text: String) -> String {
        text.contains("$") ? text.replacingAll("$", with: "$$") : text
    }

    // MARK: Reading

    /// Conditional nesting: whether lines are read (`nil`: the test could not be decided).
    struct Conditional {
        var active: Bool?
        var taken: Bool?
        var parentActive: Bool?
    }

    /// Reads one makefile's text. `include` lines call `include` with the names to read, in order.
    mutating func read(_ text: String, file: String, include: (inout MakefileReader, [String], Bool) -> Void) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var index = 0
        var conditionals: [Conditional] = []
        var currentRules: [String]? = nil
        var recipePrefix: Character = "\t"
        func active() -> Bool? {
            var result: Bool? = true
            for conditional in conditionals {
                if conditional.active == false { return false }
                if conditional.active == nil { result = nil }
            }
            return result
        }
        while index < lines.count {
            let lineNumber = index + 1
            var line = String(lines[index])
            index += 1
            if line.hasSuffix("\r") { line.removeLast() }
            // Recipe lines: after a rule, starting with the recipe prefix.
            if let targets = currentRules, line.first == recipePrefix {
                var recipe = String(line.dropFirst())
                while recipe.hasSuffix("\\"), index < lines.count {
                    var next = String(lines[index])
                    index += 1
                    if next.first == recipePrefix { next.removeFirst() }
                    recipe += "\n" + next
                }
                if active() != false {
                    addRecipeLine(RecipeLine(text: recipe, file: file, line: lineNumber), to: targets)
                }
                continue
            }
            // Continuation lines of other lines: backslash-newline and the whitespace around it is one space.
            while line.hasSuffix("\\"), !line.hasSuffix("\\\\"), index < lines.count {
                line.removeLast()
                line = line.trimmingTrailingBlanks + " " + String(lines[index]).trimmingLeadingBlanks
                index += 1
            }
            currentLine = lineNumber
            currentFile = file
            let stripped = Self.removeComment(line)
            let trimmed = stripped.trimmingLeadingBlanks
            if trimmed.isEmpty {
                continue
            }
            let (keyword, rest) = Self.firstWord(trimmed)
            // Conditionals are read even where lines are skipped.
            switch keyword {
            case "ifeq", "ifneq", "ifdef", "ifndef":
                let parent = active()
                let test = parent == false ? false : evaluateCondition(keyword, rest)
                conditionals.append(
                    Conditional(active: parent == false ? false : test, taken: test, parentActive: parent))
                continue
            case "else":
                guard var last = conditionals.popLast() else { continue }
                let (nextKeyword, nextRest) = Self.firstWord(rest)
                let isElseIf = ["ifeq", "ifneq", "ifdef", "ifndef"].contains(nextKeyword)
                if last.parentActive == false || last.taken == true {
                    last.active = false
                } else if last.taken == false {
                    let test = isElseIf ? evaluateCondition(nextKeyword, nextRest) : true
                    last.active = test
                    last.taken = test
                } else {
                    // An earlier test could not be decided: this branch may or may not be read.
                    last.active = isElseIf && evaluateCondition(nextKeyword, nextRest) == false ? false : nil
                }
                conditionals.append(last)
                continue
            case "endif":
                _ = conditionals.popLast()
                continue
            default:
                break
            }
            let state = active()
            if state == false {
                if keyword == "define" {
                    // Skip the body.
                    while index < lines.count, Self.firstWord(String(lines[index]).trimmingLeadingBlanks).0 != "endef" {
                        index += 1
                    }
                    index += 1
                }
                continue
            }
            let isCertain = state == true
            switch keyword {
            case "include", "-include", "sinclude":
                let names = split(expand(rest))
                include(&self, names, keyword == "include")
                currentRules = nil
                continue
            case "define", "override", "export", "unexport", "private", "vpath", "undefine":
                if keyword == "define" || (keyword == "override" && Self.firstWord(rest).0 == "define") {
                    let isOverride = keyword == "override"
                    let header = isOverride ? Self.firstWord(rest).1 : rest
                    var body: [String] = []
                    var nesting = 0
                    while index < lines.count {
                        let next = String(lines[index])
                        index += 1
                        let word = Self.firstWord(next.trimmingLeadingBlanks).0
                        if word == "define" { nesting += 1 }
                        if word == "endef" {
                            if nesting == 0 { break }
                            nesting -= 1
                        }
                        body.append(next)
                    }
                    let (name, operation) = Self.defineHeader(header)
                    assign(
                        name, operation: operation, value: body.joined(separator: "\n"), override: isOverride,
                        certain: isCertain)
                    currentRules = nil
                    continue
                }
                if keyword == "vpath" || keyword == "undefine" { continue }
                if keyword == "unexport" { continue }
                if let assignment = Self.assignment(in: rest) {
                    assign(
                        assignment.name, operation: assignment.operation, value: assignment.value,
                        override: keyword == "override", certain: isCertain)
                    if keyword == "export" { variables[assignment.name]?.exported = true }
                    currentRules = nil
                } else if keyword == "export" {
                    for name in split(expand(rest)) { variables[name]?.exported = true }
                }
                continue
            default:
                break
            }
            if let assignment = Self.assignment(in: trimmed) {
                assign(
                    assignment.name, operation: assignment.operation, value: assignment.value, override: false,
                    certain: isCertain)
                if assignment.name == ".RECIPEPREFIX" {
                    recipePrefix = variables[".RECIPEPREFIX"]?.value.first ?? "\t"
                }
                currentRules = nil
                continue
            }
            // A rule: `targets : prerequisites [; recipe]`, `targets :: …`, `targets : VAR = value`.
            guard let colon = Self.ruleColon(in: stripped) else {
                // Neither a rule nor an assignment: make expands the line (its `$(shell …)`, `$(eval …)`,
                // `$(info …)` run) and reads what it expands to.
                if stripped.contains("$") { _ = expand(String(stripped)) }
                currentRules = nil
                continue
            }
            let targetText = String(stripped[..<colon.lowerBound])
            var after = String(stripped[colon.upperBound...])
            let doubleColon = stripped[colon].count == 2
            var inlineRecipe: String?
            // The recipe after `;` is taken from the line before comments were removed.
            if let semicolon = Self.topLevelIndex(of: ";", in: after) {
                let rawAfter = String(
                    line[
                        line.index(
                            line.startIndex,
                            offsetBy: stripped.distance(from: stripped.startIndex, to: colon.upperBound))...])
                if let rawSemicolon = Self.topLevelIndex(of: ";", in: rawAfter) {
                    inlineRecipe = String(rawAfter[rawAfter.index(after: rawSemicolon)...])
                }
                after = String(after[..<semicolon])
            }
            let targets = split(expand(targetText))
            guard !targets.isEmpty else {
                currentRules = nil
                continue
            }
            if let assignment = Self.assignment(in: after.trimmingLeadingBlanks) {
                // Target-specific variable.
                var name = assignment.name
                var isOverride = false
                for prefix in ["override ", "export ", "private "] where name.hasPrefix(prefix) {
                    name = String(name.dropFirst(prefix.count)).trimmingLeadingBlanks
                    if prefix == "override " { isOverride = true }
                }
                let (first, rest) = Self.firstWord(assignment.name)
                if ["override", "export", "private"].contains(first), !rest.isEmpty {
                    name = rest
                    isOverride = first == "override"
                }
                for target in targets {
                    targetAssignments[target, default: []].append(
                        TargetAssignment(
                            name: name, operation: assignment.operation, value: assignment.value, override: isOverride))
                }
                currentRules = nil
                continue
            }
            // Static pattern rules: `targets: target-pattern: prereq-patterns`.
            var prerequisites: [String]
            if let second = Self.ruleColon(in: after) {
                let targetPattern = expand(String(after[..<second.lowerBound])).trimmingBlanksString
                let prerequisitePatterns = split(expand(String(after[second.upperBound...])))
                prerequisites = []
                for target in targets {
                    guard let stem = Self.match(targetPattern, target) else { continue }
                    let own = prerequisitePatterns.filter { $0 != "|" }.map { $0.replacingFirst("%", with: stem) }
                    addRule(
                        Rule(
                            targets: [target], prerequisites: own, recipe: [], doubleColon: doubleColon, pattern: nil))
                }
                currentRules = targets
                if let inlineRecipe {
                    addRecipeLine(RecipeLine(text: inlineRecipe, file: file, line: lineNumber), to: targets)
                }
                continue
            }
            prerequisites = split(expand(after)).filter { $0 != "|" }
            for target in targets where target == ".ONESHELL" { oneShell = true }
            if targets.count == 1, let pattern = targets.first, pattern.contains("%") {
                patternRules.append(
                    Rule(
                        targets: targets, prerequisites: prerequisites, recipe: [], doubleColon: doubleColon,
                        pattern: pattern))
                currentRules = ["%pattern:\(patternRules.count - 1)"]
            } else {
                if firstTarget == nil {
                    firstTarget = targets.first { target in
                        !(target.hasPrefix(".") && !target.contains("/")) && !target.contains("%")
                    }
                }
                addRule(
                    Rule(
                        targets: targets, prerequisites: prerequisites, recipe: [], doubleColon: doubleColon,
                        pattern: nil))
                currentRules = targets
            }
            if let inlineRecipe, let targets = currentRules {
                addRecipeLine(RecipeLine(text: inlineRecipe, file: file, line: lineNumber), to: targets)
            }
        }
    }

    mutating func addRule(_ rule: Rule) {
        for target in rule.targets {
            var single = rule
            single.targets = [target]
            if rule.doubleColon || rules[target] == nil {
                rules[target, default: []].append(single)
            } else {
                // Several rules for one target: prerequisites merge; a recipe given later replaces the
                // earlier one (make warns "overriding recipe").
                rules[target]![rules[target]!.count - 1].prerequisites += rule.prerequisites
                recipeReplaced.insert(target)
            }
        }
    }

    mutating func addRecipeLine(_ line: RecipeLine, to targets: [String]) {
        for target in targets {
            if target.hasPrefix("%pattern:"), let index = Int(target.dropFirst(9)) {
                patternRules[index].recipe.append(line)
                continue
            }
            guard var list = rules[target], !list.isEmpty else { continue }
            if recipeReplaced.remove(target) != nil { list[list.count - 1].recipe = [] }
            list[list.count - 1].recipe.append(line)
            rules[target] = list
        }
    }

    // MARK: Variables

    mutating func assign(_ name: String, operation: String, value: String, override: Bool, certain: Bool) {
        let name = expand(name).trimmingBlanksString
        guard !name.isEmpty else { return }
        let origin: Origin = override ? .override : .file
        if let existing = variables[name], existing.origin > origin, existing.origin != .environment {
            return
        }
        var value = value.trimmingLeadingBlanks
        if !certain {
            // Set under a condition that cannot be decided: its value is not known.
            variables[name] = Variable(
                value: Self.unknownMarker, recursive: false, origin: origin,
                exported: variables[name]?.exported ?? false)
            return
        }
        let exported = variables[name]?.exported ?? false
        switch operation {
        case "?=":
            if variables[name] != nil { return }
            variables[name] = Variable(value: value, recursive: true, origin: origin, exported: exported)
        case ":=", "::=", ":::=":
            variables[name] = Variable(value: expand(value), recursive: false, origin: origin, exported: exported)
        case "+=":
            if let existing = variables[name], existing.origin <= origin || override {
                if !existing.recursive { value = expand(value) }
                let joined = existing.value.isEmpty ? value : existing.value + " " + value
                variables[name] = Variable(
                    value: joined, recursive: existing.recursive, origin: max(existing.origin, origin),
                    exported: exported)
            } else if variables[name] == nil {
                variables[name] = Variable(value: value, recursive: true, origin: origin, exported: exported)
            }
        case "!=":
            // Runs a shell now; its output is the value.
            let command = expand(value)
            parseTimeCommands.append(RecipeLine(text: command, file: currentFile, line: currentLine))
            variables[name] = Variable(value: Self.unknownMarker, recursive: false, origin: origin, exported: exported)
        default:
            variables[name] = Variable(value: value, recursive: true, origin: origin, exported: exported)
        }
    }

    mutating func evaluateCondition(_ keyword: String, _ rest: String) -> Bool? {
        switch keyword {
        case "ifdef", "ifndef":
            let name = expand(rest).trimmingBlanksString
            guard !name.contains(Self.unknownMarker) else { return nil }
            guard let variable = variables[name] else { return keyword == "ifndef" }
            if variable.value.contains(Self.unknownMarker) { return nil }
            let defined = !variable.value.isEmpty
            return keyword == "ifdef" ? defined : !defined
        default:
            guard let (left, right) = Self.conditionOperands(rest) else { return nil }
            let a = expand(left).trimmingBlanksString
            let b = expand(right).trimmingBlanksString
            if a.contains(Self.unknownMarker) || b.contains(Self.unknownMarker) { return nil }
            return keyword == "ifeq" ? a == b : a != b
        }
    }

    /// `(a,b)`, `"a" "b"`, `'a' 'b'`.
    static func conditionOperands(_ text: String) -> (String, String)? {
        let trimmed = text.trimmingBlanksString
        if trimmed.hasPrefix("("), trimmed.hasSuffix(")") {
            let inner = String(trimmed.dropFirst().dropLast())
            guard let comma = topLevelIndex(of: ",", in: inner) else { return nil }
            return (String(inner[..<comma]), String(inner[inner.index(after: comma)...]))
        }
        var parts: [String] = []
        var rest = Substring(trimmed)
        while let quote = rest.first, quote == "\"" || quote == "'" {
            rest = rest.dropFirst()
            guard let end = rest.firstIndex(of: quote) else { return nil }
            parts.append(String(rest[..<end]))
            rest = rest[rest.index(after: end)...].drop { $0 == " " || $0 == "\t" }
        }
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }

    // MARK: Expansion

    /// Target context for expansion: automatic variables and target-specific values.
    struct Scope {
        var automatic: [String: String] = [:]
        var locals: [String: Variable] = [:]
    }

    mutating func expand(_ text: String, scope: Scope? = nil, depth: Int = 0) -> String {
        guard text.contains("$") else { return text }
        guard depth < Self.maximumExpansionDepth, expansionLeft > 0 else { return Self.unknownMarker }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "$" else {
                result.append(character)
                index = text.index(after: index)
                continue
            }
            let next = text.index(after: index)
            guard next < text.endIndex else {
                index = next
                continue
            }
            let opener = text[next]
            if opener == "$" {
                result.append("$")
                index = text.index(after: next)
                continue
            }
            if opener == "(" || opener == "{" {
                let closer: Character = opener == "(" ? ")" : "}"
                guard let end = Self.matchingClose(text, from: text.index(after: next), open: opener, close: closer)
                else {
                    result += Self.unknownMarker
                    break
                }
                let inner = String(text[text.index(after: next)..<end])
                result += reference(inner, scope: scope, depth: depth)
                index = text.index(after: end)
            } else {
                result += reference(String(opener), scope: scope, depth: depth)
                index = text.index(after: next)
            }
            if result.utf8.count > Self.maximumExpansion { return Self.unknownMarker }
        }
        expansionLeft -= result.utf8.count
        return result
    }

    /// `$(inner)`: a variable, a substitution reference, or a function call.
    mutating func reference(_ inner: String, scope: Scope?, depth: Int) -> String {
        if let space = inner.firstIndex(where: { $0 == " " || $0 == "\t" }) {
            let name = String(inner[..<space])
            if Self.functions.contains(name) || Self.unevaluatedFunctions.contains(name) {
                let argumentText = String(inner[inner.index(after: space)...]).trimmingLeadingBlanks
                return function(name, argumentText, scope: scope, depth: depth)
            }
        }
        // Substitution reference `$(VAR:a=b)`.
        if let colon = Self.topLevelIndex(of: ":", in: inner), let equals = inner[colon...].firstIndex(of: "=") {
            let name = expand(String(inner[..<colon]), scope: scope, depth: depth + 1)
            let from = String(inner[inner.index(after: colon)..<equals])
            let to = String(inner[inner.index(after: equals)...])
            let value = variable(name, scope: scope, depth: depth)
            if value.contains(Self.unknownMarker) { return Self.unknownMarker }
            let pattern = from.contains("%") ? from : "%" + from
            let replacement = from.contains("%") ? to : "%" + to
            return split(value).map { word in
                Self.match(pattern, word).map { replacement.replacingFirst("%", with: $0) } ?? word
            }.joined(separator: " ")
        }
        let name = expand(inner, scope: scope, depth: depth + 1)
        return variable(name, scope: scope, depth: depth)
    }

    mutating func variable(_ name: String, scope: Scope?, depth: Int) -> String {
        if let scope {
            if let automatic = scope.automatic[name] { return automatic }
            if name.count == 2, let base = scope.automatic[String(name.first!)], name.last == "D" || name.last == "F" {
                return split(base).map { name.last == "D" ? Self.directoryPart($0) : Paths.basename($0) }.joined(
                    separator: " ")
            }
            if let local = scope.locals[name] {
                return local.recursive ? expand(local.value, scope: scope, depth: depth + 1) : local.value
            }
        }
        guard let variable = variables[name] else { return "" }
        return variable.recursive ? expand(variable.value, scope: scope, depth: depth + 1) : variable.value
    }

    static func directoryPart(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static let functions: Set<String> = [
        "subst", "patsubst", "strip", "findstring", "filter", "filter-out", "sort", "word", "words", "firstword",
        "lastword", "dir", "notdir", "suffix", "basename", "addsuffix", "addprefix", "join", "if", "or", "and",
        "info", "warning",
    ]
    static let unevaluatedFunctions: Set<String> = [
        "shell", "wildcard", "call", "foreach", "eval", "value", "origin", "flavor", "error", "realpath", "abspath",
        "file", "guile", "let", "intcmp", "wordlist",
    ]

    mutating func function(_ name: String, _ text: String, scope: Scope?, depth: Int) -> String {
        let arguments = Self.splitArguments(text)
        func argument(_ index: Int) -> String {
            index < arguments.count ? expand(arguments[index], scope: scope, depth: depth + 1) : ""
        }
        switch name {
        case "shell":
            // Runs when make expands it, even under -n: its command is judged.
            let command = argument(0)
            parseTimeCommands.append(RecipeLine(text: command, file: currentFile, line: currentLine))
            return Self.unknownMarker
        case "if":
            let condition = argument(0).trimmingBlanksString
            if condition.contains(Self.unknownMarker) { return Self.unknownMarker }
            return condition.isEmpty ? argument(2) : argument(1)
        case "or":
            for index in arguments.indices {
                let value = argument(index).trimmingBlanksString
                if value.contains(Self.unknownMarker) { return Self.unknownMarker }
                if !value.isEmpty { return value }
            }
            return ""
        case "and":
            var last = ""
            for index in arguments.indices {
                last = argument(index).trimmingBlanksString
                if last.contains(Self.unknownMarker) { return Self.unknownMarker }
                if last.isEmpty { return "" }
            }
            return last
        case "info", "warning":
            _ = argument(0)
            return ""
        default:
            break
        }
        guard Self.functions.contains(name) else {
            for index in arguments.indices { _ = argument(index) }
            return Self.unknownMarker
        }
        let values = arguments.indices.map { argument($0) }
        if values.contains(where: { $0.contains(Self.unknownMarker) }) { return Self.unknownMarker }
        func value(_ index: Int) -> String { index < values.count ? values[index] : "" }
        switch name {
        case "subst":
            let from = value(0)
            return from.isEmpty ? value(2) : value(2).replacingAll(from, with: value(1))
        case "patsubst":
            return split(value(2)).map { word in
                Self.match(value(0), word).map { value(1).replacingFirst("%", with: $0) } ?? word
            }.joined(separator: " ")
        case "strip": return split(value(0)).joined(separator: " ")
        case "findstring": return value(1).contains(value(0)) ? value(0) : ""
        case "filter", "filter-out":
            let patterns = split(value(0))
            let keep = name == "filter"
            return split(value(1)).filter { word in
                patterns.contains { Self.match($0, word) != nil } == keep
            }.joined(separator: " ")
        case "sort": return Array(Set(split(value(0)))).sorted().joined(separator: " ")
        case "word":
            let words = split(value(1))
            guard let n = Int(value(0).trimmingBlanksString), n >= 1, n <= words.count else { return "" }
            return words[n - 1]
        case "words": return String(split(value(0)).count)
        case "firstword": return split(value(0)).first ?? ""
        case "lastword": return split(value(0)).last ?? ""
        case "dir": return split(value(0)).map { Self.directoryPart($0) + "/" }.joined(separator: " ")
        case "notdir": return split(value(0)).map { Paths.basename($0) }.joined(separator: " ")
        case "suffix", "basename":
            return split(value(0)).compactMap { word -> String? in
                let base = Paths.basename(word)
                guard let dot = base.lastIndex(of: ".") else { return name == "basename" ? word : nil }
                let suffix = String(base[dot...])
                return name == "suffix" ? suffix : String(word.dropLast(suffix.count))
            }.joined(separator: " ")
        case "addsuffix": return split(value(1)).map { $0 + value(0) }.joined(separator: " ")
        case "addprefix": return split(value(1)).map { value(0) + $0 }.joined(separator: " ")
        case "join":
            let a = split(value(0))
            let b = split(value(1))
            return (0..<max(a.count, b.count)).map { (i: Int) -> String in
                (i < a.count ? a[i] : "") + (i < b.count ? b[i] : "")
            }.joined(separator: " ")
        default:
            return Self.unknownMarker
        }
    }

    // MARK: Goals and recipes

    /// A recipe to judge: the target, its lines, and the scope to expand them in.
    struct PlannedRecipe {
        var target: String
        var lines: [RecipeLine]
        var scope: Scope
    }

    /// The recipes that run for `goals`, prerequisites first, each target once.
    mutating func plan(goals: [String], maximumTargets: Int) -> (recipes: [PlannedRecipe], complete: Bool) {
        var recipes: [PlannedRecipe] = []
        var visited: Set<String> = []
        // An explicit stack: a chain of a thousand prerequisites must not overflow the call stack.
        enum Step {
            case visit(String, [TargetAssignment])
            case run(String, [Rule], Scope)
        }
        var stack: [Step] = goals.reversed().map { .visit($0, []) }
        while let step = stack.popLast() {
            switch step {
            case .run(let target, let targetRules, let scope):
                for rule in targetRules where !rule.recipe.isEmpty {
                    recipes.append(PlannedRecipe(target: target, lines: rule.recipe, scope: scope))
                }
            case .visit(let target, let inherited):
                guard !visited.contains(target) else { continue }
                visited.insert(target)
                if visited.count > maximumTargets { return (recipes, false) }
                var found = rules[target] ?? []
                var stem: String?
                if !found.contains(where: { !$0.recipe.isEmpty }) {
                    for pattern in patternRules {
                        guard let patternText = pattern.pattern, let matched = Self.match(patternText, target) else {
                            continue
                        }
                        var rule = pattern
                        rule.prerequisites = pattern.prerequisites.map { $0.replacingFirst("%", with: matched) }
                        rule.prerequisites += found.flatMap(\.prerequisites)
                        found = [rule]
                        stem = matched
                        break
                    }
                }
                guard !found.isEmpty else { continue }
                let assignments = inherited + (targetAssignments[target] ?? [])
                let prerequisites = found.flatMap(\.prerequisites)
                var scope = Scope()
                scope.automatic["@"] = target
                scope.automatic["<"] = prerequisites.first ?? ""
                let unique = prerequisites.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                scope.automatic["^"] = unique.joined(separator: " ")
                scope.automatic["+"] = prerequisites.joined(separator: " ")
                scope.automatic["?"] = unique.joined(separator: " ")
                scope.automatic["*"] = stem ?? ""
                scope.automatic["|"] = ""
                applyTargetAssignments(assignments, to: &scope)
                stack.append(.run(target, found, scope))
                for prerequisite in prerequisites.reversed() { stack.append(.visit(prerequisite, assignments)) }
            }
        }
        return (recipes, true)
    }

    /// Target-specific values, in the order they were written (a parent's first), with make's precedence.
    mutating func applyTargetAssignments(_ assignments: [TargetAssignment], to scope: inout Scope) {
        for assignment in assignments {
            if let global = variables[assignment.name], global.origin >= .commandLine, !assignment.override {
                continue
            }
            let current = scope.locals[assignment.name] ?? variables[assignment.name]
            let origin: Origin = assignment.override ? .override : .file
            switch assignment.operation {
            case "?=":
                if current != nil { continue }
                scope.locals[assignment.name] = Variable(value: assignment.value, recursive: true, origin: origin)
            case ":=", "::=", ":::=":
                scope.locals[assignment.name] = Variable(
                    value: expand(assignment.value, scope: scope), recursive: false, origin: origin)
            case "+=":
                let base = current.map { $0.recursive ? expand($0.value, scope: scope) : $0.value } ?? ""
                let added = expand(assignment.value, scope: scope)
                scope.locals[assignment.name] = Variable(
                    value: base.isEmpty ? added : base + " " + added, recursive: false, origin: origin)
            case "!=":
                scope.locals[assignment.name] = Variable(value: Self.unknownMarker, recursive: false, origin: origin)
            default:
                scope.locals[assignment.name] = Variable(value: assignment.value, recursive: true, origin: origin)
            }
        }
    }

    /// The variables exported to recipes: from the environment, the command line and `export`.
    mutating func exportedVariables() -> [(String, String)] {
        var result: [(String, String)] = []
        for (name, variable) in variables where variable.exported && variable.origin != .environment {
            let value = variable.recursive ? expand(variable.value) : variable.value
            result.append((name, value))
        }
        return result
    }

    // MARK: Text helpers

    /// Words separated by blanks.
    func split(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
    }

    /// `%`-pattern match: the stem, or `nil`. A pattern without `%` matches only itself.
    static func match(_ pattern: String, _ word: String) -> String? {
        guard let percent = pattern.firstIndex(of: "%") else { return pattern == word ? "" : nil }
        let prefix = pattern[..<percent]
        let suffix = pattern[pattern.index(after: percent)...]
        guard word.count >= prefix.count + suffix.count, word.hasPrefix(prefix), word.hasSuffix(suffix) else {
            return nil
        }
        return String(word.dropFirst(prefix.count).dropLast(suffix.count))
    }

    /// The line without its comment (`#` not escaped); `\#` is a `#`.
    static func removeComment(_ line: String) -> String {
        guard line.contains("#") else { return line }
        var result = ""
        var previous: Character?
        for character in line {
            if character == "#" {
                if previous == "\\" {
                    result.removeLast()
                } else {
                    break
                }
            }
            result.append(character)
            previous = character
        }
        return result
    }

    static func firstWord(_ text: String) -> (String, String) {
        guard let space = text.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (text, "") }
        return (String(text[..<space]), String(text[space...]).trimmingLeadingBlanks)
    }

    /// `define NAME [op]`.
    static func defineHeader(_ text: String) -> (String, String) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let name = words.first else { return ("", "=") }
        for operation in ["::=", ":::=", ":=", "?=", "+=", "!=", "="] where name.hasSuffix(operation) {
            return (String(name.dropLast(operation.count)), operation)
        }
        return (name, words.count > 1 ? words[1] : "=")
    }

    /// An assignment `NAME op value`, when the line is one: an `=` comes before any `:` that is not
    /// part of the operator, outside `$(…)`.
    static func assignment(in text: String) -> (name: String, operation: String, value: String)? {
        var depth = 0
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "(" || character == "{" { depth += 1 }
            if character == ")" || character == "}" { depth = max(0, depth - 1) }
            if depth == 0 {
                if character == "=" {
                    var nameEnd = index
                    var operation = "="
                    if index > text.startIndex {
                        let before = text[text.index(before: index)]
                        if before == "?" || before == "+" || before == "!" {
                            nameEnd = text.index(before: index)
                            operation = String(before) + "="
                        }
                    }
                    let name = String(text[..<nameEnd]).trimmingBlanksString
                    guard !name.isEmpty, !name.contains(" ") || name.hasPrefix("override ") else { return nil }
                    return (name, operation, String(text[text.index(after: index)...]))
                }
                if character == ":" {
                    let rest = text[index...]
                    for operation in [":::=", "::=", ":="] where rest.hasPrefix(operation) {
                        let name = String(text[..<index]).trimmingBlanksString
                        guard !name.isEmpty else { return nil }
                        return (name, operation, String(text[text.index(index, offsetBy: operation.count)...]))
                    }
                    return nil
                }
                if character == ";" { return nil }
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// The rule's `:` or `::` outside `$(…)`.
    static func ruleColon(in text: String) -> Range<String.Index>? {
        var depth = 0
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "(" || character == "{" { depth += 1 }
            if character == ")" || character == "}" { depth = max(0, depth - 1) }
            if depth == 0, character == ":" {
                let next = text.index(after: index)
                // `C:\` on Windows paths is not a concern here; `::` is a double-colon rule; `&:` grouped.
                if next < text.endIndex, text[next] == ":" { return index..<text.index(after: next) }
                return index..<next
            }
            index = text.index(after: index)
        }
        return nil
    }

    static func topLevelIndex(of target: Character, in text: String) -> String.Index? {
        var depth = 0
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "(" || character == "{" { depth += 1 }
            if character == ")" || character == "}" { depth = max(0, depth - 1) }
            if depth == 0, character == target { return index }
            index = text.index(after: index)
        }
        return nil
    }

    static func matchingClose(_ text: String, from start: String.Index, open: Character, close: Character)
        -> String.Index?
    {
        var depth = 1
        var index = start
        while index < text.endIndex {
            let character = text[index]
            if character == open { depth += 1 }
            if character == close {
                depth -= 1
                if depth == 0 { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// A function's arguments, split on commas outside parentheses.
    static func splitArguments(_ text: String) -> [String] {
        var arguments: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" || character == "{" { depth += 1 }
            if character == ")" || character == "}" { depth -= 1 }
            if character == ",", depth == 0 {
                arguments.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        arguments.append(current)
        return arguments
    }
}

extension String {
    var trimmingLeadingBlanks: String {
        String(drop { $0 == " " || $0 == "\t" })
    }
    var trimmingTrailingBlanks: String {
        var text = Substring(self)
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
    var trimmingBlanksString: String { String(trimmingBlanks) }

    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}

extension Substring {
    func range(of target: String) -> Range<Index>? {
        guard !target.isEmpty, count >= target.count else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) { return index..<self.index(index, offsetBy: target.count) }
            index = self.index(after: index)
        }
        return nil
    }
}

extension String {
    func range(of target: String) -> Range<Index>? {
        Substring(self).range(of: target)
    }
}
