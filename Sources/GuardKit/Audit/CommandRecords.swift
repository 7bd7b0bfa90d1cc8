/// A command that already ran, as a transcript or shell history recorded it (SPEC §12).
public struct RecordedCommand: Sendable, Hashable {
    /// The file it was read from.
    public var source: String
    /// Its line in that file (1-based).
    public var line: Int
    /// The directory it ran in, when the record says (a shell history does not).
    public var directory: String?
    /// When it ran, in seconds since the epoch, when the record says.
    public var time: Int?
    /// The command line.
    public var command: String
}

/// The commands in one file, and how many lines could not be read.
public struct CommandRecords: Sendable {
    /// The commands, in file order.
    public var commands: [RecordedCommand] = []
    /// Lines that were meant to be records but could not be read (not JSON, a tool call with no command).
    public var malformed = 0
    /// Commands left out because the hook of the time blocked them: they never ran.
    public var blockedThen = 0

    /// The file's format, from its first line that is not blank.
    public enum Format: Sendable, Hashable {
        /// JSON lines: a Claude Code transcript or a Codex session.
        case jsonLines
        /// zsh's extended history (`: 1700000000:0;command`).
        case zshHistory
        /// One command a line, with bash's optional `#1700000000` time lines.
        case plainHistory
    }

    /// Reads `bytes`, the contents of `source`, in whichever format they are. Nothing read is run.
    public static func read(_ bytes: [UInt8], source: String) -> CommandRecords {
        var reader = CommandRecords()
        switch format(of: bytes) {
        case .jsonLines: reader.readJSONLines(bytes, source: source)
        case .zshHistory: reader.readZshHistory(bytes, source: source)
        case .plainHistory: reader.readPlainHistory(bytes, source: source)
        }
        return reader
    }

    /// The format of `bytes`.
    public static func format(of bytes: [UInt8]) -> Format {
        var index = 0
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        guard index < bytes.count else { return .plainHistory }
        if bytes[index] == UInt8(ascii: "{") { return .jsonLines }
        if bytes[index] == UInt8(ascii: ":"), index + 2 < bytes.count, bytes[index + 1] == 0x20,
            isDigit(bytes[index + 2])
        {
            return .zshHistory
        }
        return .plainHistory
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    /// Calls `body` with each line (without its newline) and its 1-based number.
    static func forEachLine(_ bytes: [UInt8], _ body: (ArraySlice<UInt8>, Int) -> Void) {
        var start = 0
        var number = 1
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            var line = bytes[start..<end]
            if line.last == 0x0D { line = line.dropLast() }
            body(line, number)
            number += 1
            start = end + 1
        }
    }

    // MARK: JSON lines

    /// Markers of the lines worth parsing: a line with none of them is skipped unparsed (tool output,
    /// messages), which keeps a long transcript fast.
    static let markers: [[UInt8]] = [
        "\"tool_use\"", "function_call\"", "\"local_shell_call\"", "\"session_meta\"",
        "\"turn_context\"",
    ].map { Array($0.utf8) }

    static let toolResultMarker = Array("\"tool_result\"".utf8)

    static func contains(_ line: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, line.count >= needle.count else { return false }
        var index = line.startIndex
        let last = line.endIndex - needle.count
        while index <= last {
            if line[index] == first {
                var matched = true
                for offset in 1..<needle.count where line[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return true }
            }
            index += 1
        }
        return false
    }

    /// Claude Code transcripts (each assistant `tool_use` named `Bash`, with the entry's `cwd`) and Codex
    /// sessions (`function_call` of the shell tools and `local_shell_call`, in the session's `cwd` or the
    /// call's `workdir`).
    mutating func readJSONLines(_ bytes: [UInt8], source: String) {
        var codexDirectory: String?
        var pending: [String: Int] = [:]
        var denied: Set<String> = []
        let toolguard = Array("toolguard".utf8)
        Self.forEachLine(bytes) { line, number in
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            // A tool result is read only when it may be toolguard's deny.
            let isResult = Self.contains(line, Self.toolResultMarker)
            guard isResult ? Self.contains(line, toolguard) : Self.markers.contains(where: { Self.contains(line, $0) })
            else {
                // Not a record toolguard reads; still, a line that is not JSON at all is counted.
                if line.first != UInt8(ascii: "{") || line.last != UInt8(ascii: "}") { malformed += 1 }
                return
            }
            guard let entry = try? JSONValue.parse(Array(line)), entry.objectValue != nil else {
                malformed += 1
                return
            }
            let time = entry["timestamp"]?.stringValue.flatMap(Timestamp.parse)
            // Codex: the envelope's payload.
            if let kind = entry["type"]?.stringValue, let payload = entry["payload"] {
                switch kind {
                case "session_meta", "turn_context":
                    if let directory = payload["cwd"]?.stringValue, !directory.isEmpty { codexDirectory = directory }
                case "response_item":
                    readCodexItem(payload, source: source, line: number, time: time, directory: codexDirectory)
                default:
                    break
                }
                return
            }
            guard let content = entry["message"]?["content"]?.arrayValue else { return }
            for block in content {
                switch block["type"]?.stringValue {
                case "tool_use" where block["name"]?.stringValue == "Bash":
                    guard let command = block["input"]?["command"]?.stringValue else {
                        malformed += 1
                        continue
                    }
                    if let id = block["id"]?.stringValue { pending[id] = commands.count }
                    commands.append(
                        RecordedCommand(
                            source: source, line: number, directory: entry["cwd"]?.stringValue, time: time,
                            command: command))
                case "tool_result":
                    // A hook's deny comes back as an error result naming toolguard: that command never ran.
                    guard block["is_error"]?.boolValue == true, let id = block["tool_use_id"]?.stringValue else {
                        continue
                    }
                    let text = block["content"]?.stringValue ?? block["content"]?[0]?["text"]?.stringValue ?? ""
                    if Self.contains(Array(text.utf8)[...], toolguard) { denied.insert(id) }
                default:
                    continue
                }
            }
        }
        if !denied.isEmpty {
            let dropped = Set(denied.compactMap { pending[$0] })
            blockedThen += dropped.count
            commands = commands.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        }
    }

    /// Codex's shell tools: `shell` and `container.exec` take argv (`["bash", "-lc", "…"]`), `shell_command`
    /// and `exec_command` a command string; `local_shell_call` carries argv in its action.
    mutating func readCodexItem(_ payload: JSONValue, source: String, line: Int, time: Int?, directory: String?) {
        var arguments: JSONValue?
        switch payload["type"]?.stringValue {
        case "function_call":
            guard let name = payload["name"]?.stringValue,
                ["shell", "container.exec", "shell_command", "exec_command", "local_shell"].contains(name)
            else { return }
            arguments = payload["arguments"]
            if let text = arguments?.stringValue { arguments = try? JSONValue.parse(text) }
        case "local_shell_call":
            arguments = payload["action"]
        default:
            return
        }
        guard let arguments, let command = Self.codexCommand(arguments) else {
            malformed += 1
            return
        }
        let workdir =
            arguments["workdir"]?.stringValue ?? arguments["working_directory"]?.stringValue
            ?? arguments["cwd"]?.stringValue
        var resolved = directory
        if let workdir, !workdir.isEmpty {
            resolved =
                workdir.hasPrefix("/") || directory == nil ? workdir : Paths.absolute(workdir, relativeTo: directory!)
        }
        commands.append(RecordedCommand(source: source, line: line, directory: resolved, time: time, command: command))
    }

    /// The command line of a Codex shell call: `bash -lc SCRIPT` is the script; other argv is quoted back.
    static func codexCommand(_ arguments: JSONValue) -> String? {
        if let text = arguments["command"]?.stringValue ?? arguments["cmd"]?.stringValue { return text }
        guard let list = arguments["command"]?.arrayValue else { return nil }
        let words = list.compactMap(\.stringValue)
        guard words.count == list.count, !words.isEmpty else { return nil }
        let shells: Set<String> = ["bash", "sh", "zsh", "dash"]
        if words.count == 3, shells.contains(Paths.basename(words[0])), ["-lc", "-c", "-l -c"].contains(words[1]) {
            return words[2]
        }
        return Quoting.command(words)
    }

    // MARK: Shell histories

    /// zsh's extended history: `: START:ELAPSED;COMMAND`, a command of several lines continued with a
    /// backslash at the end of each line; bytes above 0x80 are "metafied" (0x83 then the byte ^ 0x20).
    mutating func readZshHistory(_ bytes: [UInt8], source: String) {
        var current: (line: Int, time: Int?, text: [UInt8])?
        func finish() {
            if let entry = current {
                commands.append(
                    RecordedCommand(
                        source: source, line: entry.line, directory: nil, time: entry.time,
                        command: String(decoding: entry.text, as: UTF8.self)))
            }
            current = nil
        }
        Self.forEachLine(Self.unmetafied(bytes)) { line, number in
            if var entry = current {
                // The previous line ended with a backslash: this one continues it.
                entry.text.append(0x0A)
                entry.text += line
                current = entry
            } else if line.first == UInt8(ascii: ":"), let semicolon = line.firstIndex(of: UInt8(ascii: ";")) {
                let header = line[line.startIndex..<semicolon].dropFirst().drop { $0 == 0x20 }
                let start = header.prefix(while: Self.isDigit)
                let time = start.isEmpty ? nil : Int(String(decoding: start, as: UTF8.self))
                current = (number, time, Array(line[(semicolon + 1)...]))
            } else if !line.isEmpty {
                current = (number, nil, Array(line))
            } else {
                return
            }
            if current?.text.last == UInt8(ascii: "\\") {
                current?.text.removeLast()
            } else {
                finish()
            }
        }
        finish()
    }

    static func unmetafied(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0x83) else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var escaped = false
        for byte in bytes {
            if escaped {
                result.append(byte ^ 0x20)
                escaped = false
            } else if byte == 0x83 {
                escaped = true
            } else {
                result.append(byte)
            }
        }
        return result
    }

    /// bash's history (or any file of commands): one a line; with HISTTIMEFORMAT set, a `#SECONDS` line
    /// before each gives its time.
    mutating func readPlainHistory(_ bytes: [UInt8], source: String) {
        var time: Int?
        Self.forEachLine(bytes) { line, number in
            if line.first == UInt8(ascii: "#"), line.count > 1, line.dropFirst().allSatisfy(Self.isDigit) {
                time = Int(String(decoding: line.dropFirst(), as: UTF8.self))
                return
            }
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            commands.append(
                RecordedCommand(
                    source: source, line: number, directory: nil, time: time,
                    command: String(decoding: line, as: UTF8.self)))
            time = nil
        }
    }
}
