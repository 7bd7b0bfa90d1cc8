#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// read(2): the evaluator has a `read` of its own (the shell builtin), which would shadow it.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
    #else
        Darwin.read(descriptor, buffer, count)
    #endif
}

/// What a line runs from files (SPEC §3.1): shell scripts (`bash FILE`, `source FILE`, `./FILE`),
/// interpreter scripts (`python3 FILE`), makefiles and project scripts. Their text is judged as if typed,
/// and a finding inside a file points at the command in the line and names the file and line.
///
/// Limits keep the hook fast whatever the files hold: at most `maximumBytes` read from disk per line,
/// each file read once (`cache`), files nested at most `maximumDepth` deep, and at most `maximumJudged`
/// bytes of file text judged in all (a cached file run again and again is judged again).
struct FileRuns {
    /// Bytes read from disk per command line, in all.
    static let maximumBytes = 1 << 20
    /// Files run by files, this deep.
    static let maximumDepth = 8
    /// Bytes of file text judged per command line, in all, counting every run of a file.
    static let maximumJudged = 4 << 20

    var bytesLeft = maximumBytes
    var judgedLeft = maximumJudged
    var depth = 0
    /// Every file read so far, by absolute path (`nil`: nothing there to read).
    var cache: [String: FileText?] = [:]
    /// The files being judged, innermost last.
    var origins: [FileOrigin] = []
    /// Project-script tables read from manifests, by manifest path and table (`nil`: none there).
    var scriptTables: [String: [String: String]?] = [:]

    /// The text of every file read so far and of every project-script table, by where it came from: what a
    /// line judged by its words alone (past its deadline) is scanned for too.
    var textsRead: [(String, [UInt8])] {
        var texts: [(String, [UInt8])] = []
        for (path, text) in cache.sorted(by: { $0.key < $1.key }) {
            guard let text, !text.isBinary, !text.isSpecial else { continue }
            texts.append((path, text.bytes))
        }
        for (manifest, table) in scriptTables.sorted(by: { $0.key < $1.key }) {
            guard let table else { continue }
            texts.append((manifest, Array(table.values.sorted().joined(separator: "\n").utf8)))
        }
        return texts
    }
}

/// A file's text as read.
struct FileText: Sendable {
    var bytes: [UInt8]
    /// `false` when the read stopped at the byte limit.
    var isComplete: Bool
    /// A compiled program (ELF, or NUL bytes near the start): no shell or interpreter reads it as code.
    var isBinary: Bool
    /// Not a regular file (a FIFO, a device, `/proc`): never read.
    var isSpecial = false
}

/// A file whose text is being judged: for naming the file and line in findings.
struct FileOrigin: Sendable {
    /// The name shown (relative to the caller's directory when inside it).
    var name: String
    var bytes: [UInt8]
    /// Offsets where lines start.
    var lineStarts: [Int]
    /// The number of the text's first line in the file (a makefile's recipe line is judged on its own).
    var firstLine: Int

    init(name: String, bytes: [UInt8], firstLine: Int = 1) {
        self.name = name
        self.bytes = bytes
        self.firstLine = firstLine
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// `setup.sh:4: pip install -r requirements.txt` for a span of the file.
    func locate(_ span: SourceSpan) -> String {
        let offset = min(max(span.lowerBound, 0), bytes.count)
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var end = offset
        while end < bytes.count, end < span.upperBound, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        var text = String(decoding: bytes[offset..<end], as: UTF8.self).trimmingBlanks
        if text.count > 100 { text = text.prefix(96) + "…" }
        return "\(name):\(low + firstLine): \(text)"
    }
}

/// What a shell knows only while it runs files: `$0`, `$1…`, and the functions files define.
struct FileScope: Sendable {
    /// `$0` of the script file being judged.
    var scriptName: Value?
    /// Functions defined in files the line runs, judged when called.
    var functions: [String: FileFunction] = [:]
}

extension Evaluator.ShellState {
    /// The positional parameters live in the shell's value model, shared with `set --` and function calls.
    var positional: [Value]? {
        get { model.positional }
        set { model.positional = newValue }
    }
    var scriptName: Value? {
        get { fileScope?.scriptName }
        set {
            var scope = fileScope ?? FileScope()
            scope.scriptName = newValue
            fileScope = scope
        }
    }
    var fileFunctions: [String: FileFunction] {
        get { fileScope?.functions ?? [:] }
        set {
            var scope = fileScope ?? FileScope()
            scope.functions = newValue
            fileScope = scope
        }
    }
}

/// A function a file defines: judged when it is called, in the file's text.
struct FileFunction: Sendable {
    var body: Command
    var origin: FileOrigin
}

/// What a path holds at a point of the line.
enum FileLookup {
    /// Text known now (written earlier in the line, or read from disk).
    case text(FileText)
    /// Output only known when the line runs, written by the command at this span.
    case unknown(SourceSpan)
}

/// How a file's first line says to run it.
enum ScriptKind: Equatable {
    case shell
    case interpreter(String)
    case other
}

extension Evaluator {
    // MARK: Reading files

    /// What is in the file at `path` at this point of the line: content written earlier in the line,
    /// else the file on disk (read once, within the byte limit). `nil`: nothing is there.
    mutating func fileText(_ path: String, span: SourceSpan) -> FileLookup? {
        // A link made earlier in the line leads to what it points at (`ln -s a.sh s.sh; bash s.sh`).
        let path = files.hasLinks ? files.resolvingLinks(path) : path
        return fileText(path, written: files.content(of: path), span: span)
    }

    private mutating func fileText(_ path: String, written: FileFacts.WrittenContent?, span: SourceSpan) -> FileLookup?
    {
        guard let written else { return diskText(path).map { .text($0) } }
        switch written {
        case .text(let text):
            return .text(FileText(bytes: Array(text.utf8), isComplete: true, isBinary: false))
        case .appended(let text):
            var base = diskText(path) ?? FileText(bytes: [], isComplete: true, isBinary: false)
            base.bytes += Array(text.utf8)
            return .text(base)
        case .copy(let source):
            return diskText(source).map { .text($0) }
        case .unknown(let producer):
            return .unknown(producer)
        case .edited(let base, let editor):
            // The file before the edit is judged as it was (a block there stays a block); what the edit made of
            // it is bounded by the words of both: a guarded program in either may be what now runs.
            let before = fileText(path, written: base, span: span)
            // The edit's words as the editor reads them too (`s/x/p\x69p install/`: GNU sed decodes \xHH).
            let decoded = BackslashEscapes.decodeAll(editor, octal: .digits)
            var mentioned =
                programScan.firstName(in: Array(editor.utf8)[...])
                ?? programScan.firstName(in: Array(decoded.utf8)[...])
            if mentioned == nil, case .text(let text)? = before {
                mentioned = programScan.firstName(in: text.bytes[...])
            }
            if let mentioned {
                let name = Paths.display(path, from: shell.directory)
                add(
                    Finding(
                        verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.unreadable.id, span: span,
                        reason:
                            "\(name) was edited earlier in the line (`\(Self.shortened(editor))`) in a way toolguard "
                            + "does not follow, and the file or the edit mentions `\(mentioned)`.",
                        fix:
                            "Edit the file in one command and run it in the next, so that what it holds can be checked."
                    ))
            }
            return before
        }
    }

    /// A command's words as a reason quotes them: at most 80 characters.
    static func shortened(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(77)) + "…"
    }

    /// Programs whose writes are followed elsewhere (their content known: `tee`, `cp`, `mv`; or marked as
    /// only known when the line runs: `curl -o`, `wget -O`), or that change no content (`touch`, `ln`).
    static let followedWriters: Set<String> = [
        "tee", "cp", "mv", "curl", "wget", "touch", "ln", "install", "rsync", "dd",
    ]

    /// Files a command of the file-operations table rewrites in place in ways not followed (`sed -i`,
    /// `perl -pi`, `dd of=`, `truncate -s 0`, `patch`): a later run of one is judged by what it held and the
    /// edit's words.
    /// What the command reads on standard input is part of the edit (`dd of=s.sh <<< '…'`); input only known
    /// when the line runs makes the file's content only known then.
    mutating func recordEditedFiles(
        _ arguments: [Argument], program: String, input: Input, directory: String?, span: SourceSpan
    ) {
        guard !Self.followedWriters.contains(program) else { return }
        let effects = FileOperations.effects(program: program, arguments: arguments)
        var editor: String?
        for target in effects.targets where target.operation == .write {
            // A hundred thousand files edited are recorded no longer than the line may take to read.
            if isOutOfTime() { return }
            guard case .path = target.content, !target.argument.isDynamic,
                let path = context.absolutePath(target.argument.value, relativeTo: directory)
            else { continue }
            if case .opaque = input {
                files.recordContent(.unknown(span), of: path)
                continue
            }
            var words = editor ?? arguments.lazy.map(\.text).joined(separator: " ")
            if editor == nil, case .text(let text, _) = input { words += "\n" + text }
            editor = words
            files.recordEdit(of: path, by: words)
        }
    }

    /// The file on disk, read once per line.
    mutating func diskText(_ path: String) -> FileText? {
        if let cached = fileRuns.cache[path] { return cached }
        let read = Self.readFile(path, limit: fileRuns.bytesLeft)
        if let read { fileRuns.bytesLeft -= read.bytes.count }
        fileRuns.cache[path] = .some(read)
        return read
    }

    /// Reads a regular file, at most `limit` bytes; `nil` when there is nothing to read (missing, a
    /// directory, unreadable). FIFOs, devices and `/proc` are never opened for reading.
    static func readFile(_ path: String, limit: Int) -> FileText? {
        if path == "/dev/null" { return FileText(bytes: [], isComplete: true, isBinary: false) }
        if path.hasPrefix("/proc/") || path.hasPrefix("/dev/") || path.hasPrefix("/sys/") {
            return FileText(bytes: [], isComplete: false, isBinary: false, isSpecial: true)
        }
        // O_NONBLOCK: opening a FIFO would otherwise wait for a writer.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { _ = close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR { return nil }
        guard kind == S_IFREG else { return FileText(bytes: [], isComplete: false, isBinary: false, isSpecial: true) }
        let size = Int(info.st_size)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(size, limit))
        let chunkSize = 64 * 1024
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        var isComplete = true
        while true {
            // A small first read tells a compiled program (`./build/app`) from a script before reading on.
            let wanted = min(bytes.isEmpty ? 4096 : chunkSize, limit - bytes.count)
            if wanted <= 0 {
                // Past the limit: is there more?
                var probe: UInt8 = 0
                isComplete = systemRead(descriptor, &probe, 1) <= 0
                break
            }
            let count = systemRead(descriptor, chunk.baseAddress, wanted)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            if bytes.count == count, isBinaryStart(bytes) {
                return FileText(bytes: [], isComplete: true, isBinary: true)
            }
        }
        return FileText(bytes: bytes, isComplete: isComplete, isBinary: false)
    }

    static func isBinaryStart(_ bytes: [UInt8]) -> Bool {
        if bytes.starts(with: [0x7F, UInt8(ascii: "E"), UInt8(ascii: "L"), UInt8(ascii: "F")]) { return true }
        return bytes.prefix(512).contains(0)
    }

    /// How the file's `#!` line says to run it; no `#!` line: the shell runs it (bash falls back to `sh`).
    static func scriptKind(_ bytes: [UInt8], interpreters: [String: ProgramTraits]) -> ScriptKind {
        guard bytes.starts(with: [UInt8(ascii: "#"), UInt8(ascii: "!")]) else { return .shell }
        let line = bytes.dropFirst(2).prefix { $0 != UInt8(ascii: "\n") }
        var words = String(decoding: line, as: UTF8.self).split { $0 == " " || $0 == "\t" || $0 == "\r" }.map(
            String.init)
        guard !words.isEmpty else { return .shell }
        var program = Paths.basename(words.removeFirst())
        if program == "env" {
            // `#!/usr/bin/env bash`, `#!/usr/bin/env -S python3 -u`.
            while let next = words.first, next.hasPrefix("-") || next.contains("=") { words.removeFirst() }
            guard let next = words.first else { return .other }
            program = Paths.basename(next)
        }
        let name = ProgramName.normalize(program)
        if Wrappers.shells.contains(name) { return .shell }
        if interpreters[name]?.inlineCodeOptions != nil { return .interpreter(name) }
        return .other
    }

    /// The hook for a program no module claims: files it writes, make, and a file run as a program.
    /// `true` when it was judged here.
    mutating func runsFromFiles(
        _ arguments: [Argument], program: String, environment: Environment, directory: String?, elevated: Bool,
        wrappers: [String], input: Input, span: SourceSpan
    ) -> Bool {
        switch program {
        case "tee", "cp", "mv", "curl", "wget", "install", "rsync", "dd":
            recordWrittenFiles(arguments, input: input, directory: directory, span: span)
            return false
        case "make", "gmake":
            return runMake(
                arguments, environment: environment, directory: directory, elevated: elevated, wrappers: wrappers,
                span: span)
        default:
            guard arguments[0].text.utf8.contains(UInt8(ascii: "/")) else {
                return runWrittenProgram(
                    arguments, environment: environment, directory: directory, elevated: elevated, wrappers: wrappers,
                    span: span)
            }
            return runProgramFile(
                arguments, environment: environment, directory: directory, elevated: elevated, wrappers: wrappers,
                span: span)
        }
    }

    // MARK: Running shell script files

    /// `bash FILE ARGS`, `sh FILE`, …: the file's commands in a child shell, `$1…` bound to ARGS.
    mutating func runScriptFile(
        _ file: Argument, arguments: [Argument], program: String, environment: Environment, directory: String?,
        elevated: Bool, wrappers: [String], span: SourceSpan
    ) {
        guard let path = context.absolutePath(file.value, relativeTo: directory) else {
            record(
                [Argument(program, span: span), file] + arguments, directory: directory, ecosystem: nil,
                wrappers: wrappers, notes: ["\(program) runs a file only known when the line runs"], span: span,
                verdict: .pass)
            judgeUnreadable(span)
            return
        }
        runShellFile(
            path, zero: file.value, arguments: arguments, environment: environment, directory: directory,
            elevated: elevated, wrappers: wrappers, inCurrentShell: false, span: span, runner: program)
    }

    /// `source FILE ARGS` / `. FILE ARGS` of a file no module claims: its commands run in the current
    /// shell. Returns `false` when the file is a module's (a venv's `activate`) or only known later.
    mutating func sourceFile(
        _ arguments: [Argument], environment: Environment, directory: String?, elevated: Bool, wrappers: [String],
        span: SourceSpan
    ) -> Bool {
        let file = arguments[0]
        guard !file.isDynamic, judge.programs[ProgramName.normalize(file.text)]?.module == nil else { return false }
        var path: String?
        if file.text.contains("/") {
            path = context.absolutePath(file.value, relativeTo: directory)
        } else {
            // bash's `source NAME` searches PATH first (sourcepath), then the current directory.
            if let searchPath = environment["PATH"], !searchPath.isDynamic {
                for entry in searchPath.text.split(separator: ":") where entry.hasPrefix("/") {
                    let candidate = Paths.normalize(String(entry)) + "/" + file.text
                    if files.content(of: candidate) != nil || isRegularFile(candidate) {
                        path = candidate
                        break
                    }
                }
            }
            if path == nil { path = context.absolutePath(file.value, relativeTo: directory) }
        }
        guard let path else { return false }
        runShellFile(
            path, zero: nil, arguments: Array(arguments.dropFirst()), environment: environment, directory: directory,
            elevated: elevated, wrappers: wrappers, inCurrentShell: true, span: span, runner: "source")
        return true
    }

    func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Runs a file no module claims as a program (`./setup.sh`, `bin/bootstrap ARGS`): by its `#!` line.
    /// `false` when there is no such file, so the caller judges the command as before.
    mutating func runProgramFile(
        _ arguments: [Argument], environment: Environment, directory: String?, elevated: Bool, wrappers: [String],
        span: SourceSpan
    ) -> Bool {
        let word = arguments[0]
        guard !word.isDynamic, let path = context.absolutePath(word.value, relativeTo: directory) else { return false }
        let written = files.content(of: path) != nil
        // bash refuses a file that is not executable ("Permission denied"): it runs nothing.
        guard written || access(path, X_OK) == 0 else { return false }
        switch fileText(path, span: span) {
        case nil:
            return false
        case .unknown:
            judgeUnknownContent(path, program: word.text, directory: directory, wrappers: wrappers, span: span)
            return true
        case .text(let text):
            if text.isBinary || text.isSpecial { return false }
            switch Self.scriptKind(text.bytes, interpreters: judge.programs) {
            case .shell:
                runShellFile(
                    path, zero: word.value, arguments: Array(arguments.dropFirst()), environment: environment,
                    directory: directory, elevated: elevated, wrappers: wrappers, inCurrentShell: false, span: span,
                    runner: word.text)
                return true
            case .interpreter(let interpreter):
                judgeInterpreterText(text, path: path, program: interpreter, directory: directory, span: span)
                return false
            case .other:
                return false
            }
        }
    }

    /// A bare command name that PATH leads to a file the line wrote (`echo … > s.sh; chmod +x s.sh;
    /// PATH=.:$PATH s.sh`, or a script written as `bin/go` with `bin` first on PATH): that file runs, whatever
    /// program its name is usually. `false` when the name leads to no such file. Files on disk found this
    /// way are programs like any other, judged by their name.
    mutating func runWrittenProgram(
        _ arguments: [Argument], environment: Environment, directory: String?, elevated: Bool, wrappers: [String],
        span: SourceSpan
    ) -> Bool {
        guard !files.writtenContent.isEmpty, !arguments[0].isDynamic,
            !arguments[0].text.utf8.contains(UInt8(ascii: "/")),
            let path = context.resolveExecutable(arguments[0].text, environment: environment, directory: directory),
            files.content(of: path) != nil
        else { return false }
        var resolved = arguments
        resolved[0] = Argument(path, span: arguments[0].span)
        return runProgramFile(
            resolved, environment: environment, directory: directory, elevated: elevated, wrappers: wrappers,
            span: span)
    }

    /// Judges the commands of a shell script file, in a child shell or the current one.
    mutating func runShellFile(
        _ path: String, zero: Value?, arguments: [Argument], environment: Environment, directory: String?,
        elevated: Bool, wrappers: [String], inCurrentShell: Bool, span: SourceSpan, runner: String
    ) {
        let name = Paths.display(path, from: directory)
        let shown = [Argument(runner, span: span), Argument(name, span: span)] + arguments
        switch fileText(path, span: span) {
        case nil:
            record(
                shown, directory: directory, ecosystem: nil, wrappers: wrappers,
                notes: ["\(name) does not exist: it runs nothing"], span: span, verdict: .pass)
        case .unknown:
            judgeUnknownContent(path, program: runner, directory: directory, wrappers: wrappers, span: span)
        case .text(let text):
            if text.isBinary {
                record(
                    shown, directory: directory, ecosystem: nil, wrappers: wrappers,
                    notes: ["\(name) is a compiled program, not shell code"], span: span, verdict: .pass)
                return
            }
            guard !text.isSpecial else {
                judgeUnreadableFile(name, why: "is not a regular file", span: span)
                return
            }
            guard fileRuns.depth < FileRuns.maximumDepth else {
                // Files that run files this deep: the rest is not followed; judged as unreadable.
                record(
                    shown, directory: directory, ecosystem: nil, wrappers: wrappers,
                    notes: ["files run \(FileRuns.maximumDepth) deep: \(name) is not followed"], span: span,
                    verdict: .pass)
                // A file that runs itself (`bash a.sh` in a.sh) was judged at a shallower depth already.
                if fileRuns.origins.contains(where: { $0.bytes == text.bytes }) { return }
                // A limit is a reason to be careful: what this file runs (and what the files it runs run) is not
                // followed, so it cannot be known not to install. Chains this deep are rare: ask.
                judgeUnreadableFile(
                    name, why: "runs \(FileRuns.maximumDepth) files deep, past what toolguard follows", span: span)
                return
            }
            guard fileRuns.judgedLeft >= text.bytes.count else {
                judgeUnreadableFile(name, why: Reasons.pastLineBudget, span: span)
                return
            }
            fileRuns.judgedLeft -= text.bytes.count
            let first = findings.count
            let traceStart = trace.count
            record(
                shown, directory: directory, ecosystem: nil, wrappers: wrappers,
                notes: ["\(runner) runs \(name)\(inCurrentShell ? " in the current shell" : "")"], span: span,
                verdict: .pass)
            let origin = FileOrigin(name: name, bytes: text.bytes)
            let saved = shell
            if !inCurrentShell {
                // A new shell process: it starts from the exported environment only.
                shell = ShellState(directory: directory, environment: environment)
            }
            if !inCurrentShell || !arguments.isEmpty {
                shell.positional = arguments.map(\.value)
            }
            if let zero { shell.scriptName = zero }
            let savedWrappers = enclosingWrappers
            let savedElevation = enclosingElevation
            enclosingWrappers += wrappers
            enclosingElevation = elevated
            walkFile(origin, complete: text.isComplete) { evaluator in
                // Read and walked command by command, as the line is: a megabyte file stops at the deadline.
                var parser = ShellParser(reading: String(decoding: origin.bytes, as: UTF8.self))
                evaluator.walkReading(&parser)
            }
            enclosingWrappers = savedWrappers
            enclosingElevation = savedElevation
            if inCurrentShell {
                // Positional parameters given to `source` last only while it runs.
                shell.positional = saved.positional
                shell.scriptName = saved.scriptName
            } else {
                shell = saved
            }
            relocate(from: first, traceFrom: traceStart, origin: origin, to: span)
        }
    }

    /// Walks a file's text with the file as the source of spans, one level deeper.
    mutating func walkFile(_ origin: FileOrigin, complete: Bool, _ body: (inout Evaluator) -> Void) {
        let savedSource = source
        let savedReading = readingFile
        readingFile = true
        source = origin.bytes
        fileRuns.depth += 1
        fileRuns.origins.append(origin)
        body(&self)
        if !complete {
            let end = origin.bytes.count
            add(
                Finding(
                    verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.unreadable.id,
                    span: end..<end,
                    reason: "The rest of \(origin.name) is past the \(FileRuns.maximumBytes / 1024) KB toolguard reads "
                        + "per line, so what it runs there is not known.",
                    fix: "Run the package commands in it directly, so they can be checked."))
        }
        fileRuns.origins.removeLast()
        fileRuns.depth -= 1
        source = savedSource
        readingFile = savedReading
    }

    /// Findings and parts judged inside a file point at the command in the line (`span`), and name the
    /// file and line in their reason and notes.
    mutating func relocate(from first: Int, traceFrom traceStart: Int, origin: FileOrigin, to span: SourceSpan) {
        for index in first..<findings.count {
            let place = origin.locate(findings[index].span)
            findings[index].reason = "\(place) — \(findings[index].reason)"
            findings[index].span = span
        }
        guard tracing, traceStart < trace.count else { return }
        // The first part is the file's own runner, already in the caller's text.
        for index in (traceStart + 1)..<trace.count {
            switch trace[index] {
            case .part(var part):
                part.notes.insert(origin.locate(part.span), at: 0)
                part.span = span
                part.findings = part.findings.map { finding in
                    var finding = finding
                    if !finding.reason.hasPrefix(origin.name + ":") {
                        finding.reason = "\(origin.locate(finding.span)) — \(finding.reason)"
                    }
                    finding.span = span
                    return finding
                }
                trace[index] = .part(part)
            case .state(var change):
                change.description = "\(origin.locate(change.span)) → \(change.description)"
                change.span = span
                trace[index] = .state(change)
            }
        }
    }

    /// A file past a limit, or not a regular file: what it runs is not known. Ask.
    mutating func judgeUnreadableFile(_ name: String, why: String, span: SourceSpan) {
        add(
            Finding(
                verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.unreadable.id, span: span,
                reason: "\(name) \(why), so what it runs is not known.",
                fix: "Run the package commands in it directly, so they can be checked."))
    }

    /// A file written earlier in the line by a command whose output is not known (`curl … > i.sh`).
    mutating func judgeUnknownContent(
        _ path: String, program: String, directory: String?, wrappers: [String], span: SourceSpan
    ) {
        let name = Paths.display(path, from: directory)
        let first = findings.count
        add(
            Finding(
                verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.pipedScript.id, span: span,
                reason: "\(program) runs \(name), which the line writes with output only known when it runs.",
                fix: "Download the script, read it, and run the package commands in it directly."))
        record(
            [Argument(program, span: span), Argument(name, span: span)], directory: directory, ecosystem: nil,
            wrappers: wrappers, notes: ["\(name) holds output only known when the line runs"], span: span,
            verdict: .ask, findingsSince: first)
    }

    // MARK: Positional parameters

    // MARK: Functions defined in files

    /// A function a file defines: kept, and judged when called.
    mutating func defineFileFunction(_ name: String, body: Command) {
        guard let origin = fileRuns.origins.last else { return }
        shell.fileFunctions[name] = FileFunction(body: body, origin: origin)
        hasFileFunctions = true
    }

    /// Calls a function a file defined; `false` when `word` is no such function (or a module claims it).
    mutating func callFileFunction(_ arguments: [Argument], wrappers: [String], span: SourceSpan) -> Bool {
        let word = arguments[0].text
        guard let function = shell.fileFunctions[word], judge.programs[ProgramName.normalize(word)]?.module == nil
        else { return false }
        let first = findings.count
        let traceStart = trace.count
        record(
            arguments, directory: shell.directory, ecosystem: nil, wrappers: wrappers,
            notes: ["`\(word)` is a function \(function.origin.name) defines"], span: span, verdict: .pass)
        guard fileRuns.depth < FileRuns.maximumDepth, fileRuns.judgedLeft >= function.origin.bytes.count / 8 + 64 else {
            judgeUnreadable(span)
            return true
        }
        fileRuns.judgedLeft -= function.origin.bytes.count / 8 + 64
        let savedPositional = shell.positional
        shell.positional = arguments.dropFirst().map(\.value)
        walkFile(function.origin, complete: true) { evaluator in
            evaluator.walk(function.body, input: .none)
        }
        shell.positional = savedPositional
        relocate(from: first, traceFrom: traceStart, origin: function.origin, to: span)
        return true
    }

    // MARK: Interpreter scripts

    /// `python3 FILE`, `node FILE`, …: the file's code is judged as inline code is.
    mutating func judgeInterpreterFile(_ file: Argument, program: String, directory: String?, span: SourceSpan) {
        guard !file.isDynamic, let path = context.absolutePath(file.value, relativeTo: directory) else { return }
        switch fileText(path, span: span) {
        case nil:
            return
        case .unknown:
            judgeUnknownContent(path, program: program, directory: directory, wrappers: [], span: span)
        case .text(let text):
            guard !text.isBinary else { return }
            judgeInterpreterText(text, path: path, program: program, directory: directory, span: span)
        }
    }

    mutating func judgeInterpreterText(
        _ text: FileText, path: String, program: String, directory: String?, span: SourceSpan
    ) {
        let name = Paths.display(path, from: directory)
        if text.isSpecial {
            judgeUnreadableFile(name, why: "is not a regular file", span: span)
            return
        }
        guard fileRuns.judgedLeft >= text.bytes.count else {
            judgeUnreadableFile(name, why: Reasons.pastLineBudget, span: span)
            return
        }
        fileRuns.judgedLeft -= text.bytes.count
        let code = String(decoding: text.bytes, as: UTF8.self)
        runCodeCommands(code, program: program, directory: directory, span: span)
        if ShellRules.codeRunsPackageManager(
            code, programs: judge.guardedPrograms, operations: judge.operationWords)
        {
            // Name the first line that starts a package manager, when one line shows it.
            let origin = FileOrigin(name: name, bytes: text.bytes)
            var place = name
            var offset = 0
            for line in text.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                let words = ShellRules.tokens(String(decoding: line, as: UTF8.self))
                let runsOne = words.indices.contains { index in
                    judge.guardedPrograms.contains(ProgramName.normalize(String(words[index])))
                        && words[(index + 1)..<min(words.count, index + 7)].contains {
                            judge.operationWords.contains(String($0))
                        }
                }
                if runsOne {
                    place = origin.locate(offset..<(offset + line.count))
                    break
                }
                offset += line.count + 1
            }
            add(
                Finding(
                    verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.inlineCode.id, span: span,
                    reason: "\(place) — the \(program) script runs a package manager, which cannot be judged "
                        + "before it runs.",
                    fix: "Run the package manager as its own command, so it can be checked."))
        }
        if !text.isComplete {
            judgeUnreadableFile(name, why: "is larger than toolguard reads per line", span: span)
        }
    }

    // MARK: Files the line writes

    /// Output redirections of a command: the file holds what the command prints, when that is known.
    /// `exec N>FILE` with no command opens FILE on descriptor N for the rest of the shell (truncating it, or
    /// not with `>>`); output later sent to N (`>&N`, and every command's own for N = 1) is appended to it.
    mutating func recordRedirectedOutput(
        _ redirections: [Redirection], arguments: [Argument], input: Input, span: SourceSpan
    ) {
        let opensDescriptors = arguments.count == 1 && arguments[0].text == "exec"
        var redirectsOutput = false
        func produced() -> Input {
            arguments.isEmpty
                ? Input.text("", .enclosing(span)) : Self.writtenOutput(arguments, input: input, span: span)
        }
        func append(to path: String) {
            if case .text(let text, _) = produced() {
                files.recordContent(.appended(text + "\n"), of: path)
            } else {
                files.recordContent(.unknown(span), of: path)
            }
        }
        for redirection in redirections {
            let operation = redirection.operation
            let descriptor = descriptorNumber(redirection) ?? (operation.hasPrefix("<") ? 0 : 1)
            if operation == ">&", let target = redirection.target?.literalValue, let number = Int(target) {
                // `>&3`: where descriptor 3 was opened.
                if descriptor == 1 {
                    redirectsOutput = true
                    if let path = shell.model.descriptors[number] { append(to: path) }
                }
                continue
            }
            // `exec 4<>FILE` opens FILE for reading and writing, without truncating it.
            if operation == "<>", opensDescriptors, let target = redirection.target, let text = staticText(target),
                let path = context.absolutePath(Value(text), relativeTo: shell.directory)
            {
                shell.model.descriptors[descriptorNumber(redirection) ?? 0] = path
                continue
            }
            guard operation == ">" || operation == ">>" || operation == ">|" || operation == "&>" || operation == "&>>",
                let target = redirection.target, let text = staticText(target),
                let path = context.absolutePath(Value(text), relativeTo: shell.directory)
            else { continue }
            if opensDescriptors {
                shell.model.descriptors[descriptor] = path
                if !operation.hasSuffix(">>"), path != "/dev/null" { files.recordContent(.text(""), of: path) }
                continue
            }
            // `2> f` writes errors, not output.
            guard descriptor == 1 else { continue }
            redirectsOutput = true
            guard path != "/dev/null" else { continue }
            switch produced() {
            case .text(let text, _):
                files.recordContent(
                    operation.hasSuffix(">>") ? .appended(text + "\n") : .text(text + "\n"), of: path)
            default:
                files.recordContent(.unknown(span), of: path)
            }
        }
        // After `exec >FILE`, what a command prints goes to FILE.
        if !opensDescriptors, !redirectsOutput, let path = shell.model.descriptors[1], path != "/dev/null" {
            append(to: path)
        }
    }

    /// The descriptor number written before a redirection's operator (`3>`, `2>>`), if any.
    func descriptorNumber(_ redirection: Redirection) -> Int? {
        guard let text = writtenText(redirection.span) else { return nil }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty ? nil : Int(digits)
    }

    /// What a command prints, for a file it is redirected into: `echo`, `printf`, `cat <<EOF`, `tee`.
    static func writtenOutput(_ arguments: [Argument], input: Input, span: SourceSpan) -> Input {
        let name = Paths.basename(arguments[0].text)
        if name == "tee" || name == "cat" && arguments.count == 1 { return input }
        let produced = producedText(arguments, input: input, span: span)
        if name == "printf", case .text(let text, let map) = produced {
            // printf adds no newline of its own; `recordRedirectedOutput` adds one.
            return .text(text.hasSuffix("\n") ? String(text.dropLast()) : text, map)
        }
        return produced
    }

    /// A word's text when expanding it runs nothing (no command substitution).
    mutating func staticText(_ word: Word) -> String? {
        if let literal = word.literalValue { return literal }
        for part in word.parts {
            switch part {
            case .commandSubstitution, .processSubstitution, .arithmetic, .parameterOperation: return nil
            default: continue
            }
        }
        let argument = expandJoined(word)
        return argument.isDynamic ? nil : argument.text
    }

    /// Programs that write files the line may run later: `tee`, `cp`, `mv`, `curl -o`, `wget -O`.
    mutating func recordWrittenFiles(_ arguments: [Argument], input: Input, directory: String?, span: SourceSpan) {
        let name = Paths.basename(arguments[0].text)
        let operands = arguments.dropFirst()
        func path(_ argument: Argument) -> String? {
            argument.isDynamic ? nil : context.absolutePath(argument.value, relativeTo: directory)
        }
        switch name {
        case "tee":
            let appends = operands.contains { $0.text == "-a" || $0.text == "--append" }
            for operand in operands where !operand.text.hasPrefix("-") {
                guard let target = path(operand) else { continue }
                if case .text(let text, _) = input {
                    let line = text.hasSuffix("\n") ? text : text + "\n"
                    files.recordContent(appends ? .appended(line) : .text(line), of: target)
                } else {
                    files.recordContent(.unknown(span), of: target)
                }
            }
        case "dd":
            // `dd if=A of=B` copies A into B.
            let source = operands.first { $0.text.hasPrefix("if=") }.map { String($0.text.dropFirst(3)) }
            let target = operands.first { $0.text.hasPrefix("of=") }.map { String($0.text.dropFirst(3)) }
            guard let target, let targetPath = context.absolutePath(Value(target), relativeTo: directory) else {
                return
            }
            if let source, let sourcePath = context.absolutePath(Value(source), relativeTo: directory) {
                files.recordContent(.copy(of: sourcePath), of: targetPath)
            } else if case .text(let text, _) = input {
                files.recordContent(.text(text + "\n"), of: targetPath)
            } else {
                files.recordContent(.unknown(span), of: targetPath)
            }
        case "cp", "mv", "install", "rsync":
            // `install -d` makes directories; an option's value (`install -m 755`, `rsync -e ssh`) is no path.
            if name == "install", operands.contains(where: { $0.text == "-d" || $0.text == "--directory" }) { return }
            var skipsNext = false
            var paths: [Argument] = []
            for operand in operands {
                if skipsNext {
                    skipsNext = false
                    continue
                }
                if ["-m", "-o", "-g", "-t", "-S", "-e", "--mode", "--owner", "--group"].contains(operand.text) {
                    skipsNext = true
                    continue
                }
                if !operand.text.hasPrefix("-") { paths.append(operand) }
            }
            guard paths.count >= 2, let destination = path(paths[paths.count - 1]) else { return }
            let sources = paths.dropLast().compactMap(path)
            // Into a directory: several sources, a trailing slash, or a directory, on disk or made earlier in
            // the line (`mkdir -p d && cp f d`).
            let intoDirectory =
                paths.count > 2 || paths[paths.count - 1].text.hasSuffix("/") || files.isDirectory(destination)
            for source in sources {
                let target = intoDirectory ? destination + "/" + Paths.basename(source) : destination
                files.recordContent(.copy(of: source), of: target)
            }
        case "curl", "wget":
            var index = operands.startIndex
            while index < operands.endIndex {
                let text = operands[index].text
                let option = name == "curl" ? "o" : "O"
                var value: Argument?
                if text == "-" + option || text == (name == "curl" ? "--output" : "--output-document") {
                    if index + 1 < operands.endIndex { value = operands[index + 1] }
                } else if text.hasPrefix("--output-document=") || text.hasPrefix("--output=") {
                    let rest = text[text.index(after: text.firstIndex(of: "=")!)...]
                    value = Argument(String(rest), isDynamic: operands[index].isDynamic, span: operands[index].span)
                } else if text.hasPrefix("-"), !text.hasPrefix("--"), let at = text.firstIndex(of: Character(option)) {
                    let rest = text[text.index(after: at)...]
                    if rest.isEmpty {
                        if index + 1 < operands.endIndex { value = operands[index + 1] }
                    } else {
                        value = Argument(String(rest), isDynamic: operands[index].isDynamic, span: operands[index].span)
                    }
                }
                if let value, let target = path(value), value.text != "-" {
                    files.recordContent(.unknown(span), of: target)
                }
                index += 1
            }
        default:
            return
        }
    }
}
