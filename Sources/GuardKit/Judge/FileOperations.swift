/// What programs do to the files their arguments name: one row per program, read the way the program reads
/// its own arguments (SPEC §8). Like the wrappers table, adding a writer is adding a row.
///
/// Self-protection asks this table which paths a command writes, removes, moves or changes the mode,
/// owner or attributes of — after the program's own options are parsed, so an option's value is never
/// taken for a target and a mode that looks like an option (`chmod -x f`) is still a mode.
enum FileOperations {
    /// What a command does to one path.
    struct Target {
        /// How the path is reached.
        enum Content {
            /// The path itself.
            case path
            /// A tree is written at the path (a recursive copy or move); its content comes from `source`.
            case tree(source: Argument, contentsOnly: Bool, onlyIfNotDirectory: Bool)
            /// An archive is unpacked into the directory at the path; its content is not read.
            case archive
            /// `find START … -delete` (or `-exec rm {}`): what is found below the start point, filtered by
            /// `-name` patterns (`nil`: a filter that cannot be read statically, which could match anything).
            case found(names: [String]?, asks: Bool)
        }

        var argument: Argument
        var operation: ProtectedPaths.Operation
        var content: Content = .path
        /// For a mode, owner or attribute change: what changes.
        var attributes: AttributeChange?
    }

    /// A mode, owner or attribute change.
    struct AttributeChange {
        enum Kind { case mode, owner, flags, acl }
        var kind: Kind
        /// The mode as written (`-x`, `u=r`, `755`); `nil` when taken from another file (`--reference`).
        var mode: String?
        var recursive: Bool
    }

    /// A link or copy the command makes: later parts of the line see `path` as `target`.
    struct Link {
        var path: Argument
        var target: Argument
        /// A symbolic link (paths through it resolve); otherwise a copy or hard link (the same program).
        var isSymbolic: Bool
    }

    /// Everything a command does to files.
    struct Effects {
        var targets: [Target] = []
        var links: [Link] = []
    }

    /// How a program reads its options.
    /// (Arrays, not sets: the table is built in every hook process, and its lists are short.)
    struct Grammar: Sendable {
        /// Short options that take a value, attached or in the next argument (`-t DIR`, `-tDIR`).
        var valueShort: [Character] = []
        /// Short options whose value, if any, is attached (`-i.bak`).
        var optionalShort: [Character] = []
        /// Long options that take a value (`--target-directory DIR` or `=DIR`).
        var valueLong: [String] = []
        /// When set, `-xyz` is an option only if every letter is one of these: `chmod -x` is a mode,
        /// `chattr -i` an attribute.
        var flagLetters: [Character]?
    }

    /// What a program does with its operands.
    enum Kind: Sendable {
        /// Every operand is written (`tee`, `touch`) or removed (`rm`).
        case each(ProtectedPaths.Operation)
        /// `shred`: overwritten, removed with `-u`.
        case shred
        /// A mode, owner or attribute change; the first operand is the mode unless `--reference` is given.
        case attributes(AttributeChange.Kind, firstIsMode: Bool)
        /// `chattr`: operands starting with `+`, `-`, `=` are attributes, the rest files.
        case chattr
        /// A copy (`cp`), move (`mv`), install, link (`ln`) or sync (`rsync`) to the last operand or `-t DIR`.
        case copy(CopyKind)
        /// An editor that rewrites its file operands when its in-place option is given.
        case inPlace(InPlaceKind)
        /// An editor that may write every file it opens (`vim -c w`, `ed`).
        case editor
        /// `dd of=FILE`.
        case dd
        /// `sort -o FILE`, `patch -o FILE`.
        case outputOption(Character)
        /// `uniq IN OUT`: the second operand.
        case secondOperand
        /// A compressor: replaces its operand with a compressed (or decompressed) file.
        case compressor(decompresses: Bool)
        /// `rename EXPRESSION FILES…`.
        case rename
        /// Removes its operands when one of these options is given (after the archive, when it comes first).
        case removesWith([String], archiveFirst: Bool)
        /// Writes the file after one of these single-dash options (`openssl … -out FILE`).
        case singleDashOutput([String])
        case tar, unzip, curl, wget, git, find, busybox
    }

    enum CopyKind: Sendable { case copy, move, install, link, sync }
    enum InPlaceKind: Sendable { case sed, perl, ruby, awk, yq }

    /// One program.
    struct Row: Sendable {
        var kind: Kind
        var grammar = Grammar()
    }

    static let modeFlags: [Character] = ["c", "f", "v", "R", "h", "H", "L", "P"]

    /// The table: every program that changes files, by name.
    static let table: [String: Row] = {
        var rows: [String: Row] = [:]
        for name in ["rm", "rmdir", "unlink", "srm", "trash", "trash-put", "gio-trash"] {
            rows[name] = Row(kind: .each(.remove), grammar: Grammar(valueLong: ["--interactive"]))
        }
        rows["tee"] = Row(kind: .each(.write), grammar: Grammar(valueLong: []))
        rows["touch"] = Row(
            kind: .each(.write), grammar: Grammar(valueShort: ["d", "r", "t"], valueLong: ["--date", "--reference"]))
        rows["truncate"] = Row(
            kind: .each(.write), grammar: Grammar(valueShort: ["s", "r"], valueLong: ["--size", "--reference"]))
        rows["sponge"] = Row(kind: .each(.write))
        rows["link"] = Row(kind: .secondOperand)
        rows["shred"] = Row(
            kind: .shred,
            grammar: Grammar(valueShort: ["n", "s"], valueLong: ["--iterations", "--size", "--random-source"]))
        rows["chmod"] = Row(
            kind: .attributes(.mode, firstIsMode: true), grammar: Grammar(valueLong: [], flagLetters: modeFlags))
        for name in ["chown", "chgrp"] {
            rows[name] = Row(
                kind: .attributes(.owner, firstIsMode: true),
                grammar: Grammar(valueLong: ["--from"], flagLetters: modeFlags))
        }
        rows["chflags"] = Row(
            kind: .attributes(.flags, firstIsMode: true), grammar: Grammar(flagLetters: modeFlags))
        rows["chattr"] = Row(kind: .chattr, grammar: Grammar(valueShort: ["v", "p"], flagLetters: ["R", "V", "f"]))
        rows["setfacl"] = Row(
            kind: .attributes(.acl, firstIsMode: false),
            grammar: Grammar(
                valueShort: ["m", "M", "x", "X"],
                valueLong: ["--modify", "--modify-file", "--remove", "--remove-file", "--set", "--set-file"]))
        rows["chacl"] = Row(kind: .attributes(.acl, firstIsMode: true))
        rows["setfattr"] = Row(
            kind: .attributes(.flags, firstIsMode: false),
            grammar: Grammar(valueShort: ["n", "v", "x"], valueLong: ["--name", "--value", "--remove", "--restore"]))
        let copyOptions = Grammar(valueShort: ["t", "S"], valueLong: ["--target-directory", "--suffix"])
        rows["cp"] = Row(kind: .copy(.copy), grammar: copyOptions)
        rows["mv"] = Row(kind: .copy(.move), grammar: copyOptions)
        rows["ln"] = Row(kind: .copy(.link), grammar: copyOptions)
        rows["install"] = Row(
            kind: .copy(.install),
            grammar: Grammar(
                valueShort: ["t", "S", "m", "o", "g"],
                valueLong: ["--target-directory", "--suffix", "--mode", "--owner", "--group", "--strip-program"]))
        rows["rsync"] = Row(
            kind: .copy(.sync),
            grammar: Grammar(
                valueShort: ["e", "f", "T", "B", "M"],
                valueLong: [
                    "--rsh", "--exclude", "--include", "--filter", "--files-from", "--exclude-from", "--include-from",
                    "--chmod", "--chown", "--usermap", "--groupmap", "--rsync-path", "--log-file", "--partial-dir",
                    "--temp-dir", "--backup-dir", "--suffix", "--compare-dest", "--copy-dest", "--link-dest",
                    "--bwlimit", "--timeout", "--port", "--password-file", "--max-size", "--min-size",
                    "--block-size", "--info", "--debug", "--out-format", "--iconv", "--remote-option",
                ]))
        rows["sed"] = Row(
            kind: .inPlace(.sed),
            grammar: Grammar(
                valueShort: ["e", "f", "l"], optionalShort: ["i"],
                valueLong: ["--expression", "--file", "--line-length"]))
        rows["perl"] = Row(
            kind: .inPlace(.perl),
            grammar: Grammar(
                valueShort: ["e", "E", "I"], optionalShort: ["i", "l", "0", "x", "C", "d", "D", "M", "m", "V"]))
        rows["ruby"] = Row(
            kind: .inPlace(.ruby),
            grammar: Grammar(
                valueShort: ["e", "I", "r", "C", "E"], optionalShort: ["i", "l", "0", "x", "F", "W", "T", "K"]))
        for name in ["awk", "gawk"] {
            rows[name] = Row(
                kind: .inPlace(.awk),
                grammar: Grammar(
                    valueShort: ["f", "v", "F", "e", "E", "i", "l"],
                    valueLong: ["--file", "--assign", "--field-separator", "--source", "--exec", "--include", "--load"])
            )
        }
        rows["yq"] = Row(kind: .inPlace(.yq), grammar: Grammar(valueShort: ["o", "p", "I"]))
        for name in ["vim", "vi", "nvim", "ex", "view", "vimdiff", "nano", "emacs"] {
            rows[name] = Row(
                kind: .editor,
                grammar: Grammar(
                    valueShort: ["c", "S", "s", "T", "u", "U", "w", "W", "i", "t", "q", "r"],
                    valueLong: ["--cmd", "--eval"]))
        }
        for name in ["ed", "red"] { rows[name] = Row(kind: .editor, grammar: Grammar(valueShort: ["p"])) }
        rows["dd"] = Row(kind: .dd)
        rows["sort"] = Row(
            kind: .outputOption("o"),
            grammar: Grammar(
                valueShort: ["o", "k", "t", "T", "S"],
                valueLong: ["--output", "--key", "--field-separator", "--temporary-directory", "--buffer-size"]))
        rows["patch"] = Row(
            kind: .outputOption("o"),
            grammar: Grammar(
                valueShort: ["p", "i", "o", "d", "D", "F", "B", "r", "V", "z", "Y", "g"],
                valueLong: ["--input", "--output", "--directory", "--reject-file"]))
        rows["uniq"] = Row(
            kind: .secondOperand, grammar: Grammar(valueShort: ["f", "s", "w"], valueLong: []))
        for name in ["gzip", "bzip2", "xz", "zstd", "lzma", "lz4", "compress"] {
            rows[name] = Row(kind: .compressor(decompresses: false), grammar: Grammar(valueShort: ["S", "T"]))
        }
        for name in ["gunzip", "bunzip2", "unxz", "unzstd", "unlzma", "uncompress"] {
            rows[name] = Row(kind: .compressor(decompresses: true), grammar: Grammar(valueShort: ["S"]))
        }
        rows["rename"] = Row(kind: .rename)
        rows["prename"] = Row(kind: .rename)
        // `zip -m ARCHIVE FILE…` moves the files into the archive: they are removed.
        rows["zip"] = Row(
            kind: .removesWith(["m", "--move"], archiveFirst: true),
            grammar: Grammar(valueShort: ["b", "n", "t", "x", "i", "P", "Z"], valueLong: ["--password"]))
        // `openssl COMMAND -out FILE` writes FILE.
        rows["openssl"] = Row(kind: .singleDashOutput(["-out", "-keyout"]))
        rows["tar"] = Row(kind: .tar)
        rows["bsdtar"] = Row(kind: .tar)
        rows["unzip"] = Row(kind: .unzip, grammar: Grammar(valueShort: ["d", "x", "P"]))
        rows["curl"] = Row(
            kind: .curl,
            grammar: Grammar(
                valueShort: [
                    "A", "b", "c", "C", "d", "D", "e", "E", "F", "H", "K", "m", "o", "P", "Q", "r", "T", "u", "U", "w",
                    "x", "X", "y", "Y", "z", "t",
                ],
                valueLong: [
                    "--output", "--output-dir", "--cookie-jar", "--dump-header", "--trace", "--trace-ascii", "--stderr",
                    "--etag-save", "--hsts", "--alt-svc", "--libcurl", "--data", "--data-raw", "--data-binary",
                    "--data-urlencode", "--header", "--user-agent", "--referer", "--user", "--request", "--cookie",
                    "--form", "--config", "--max-time", "--connect-timeout", "--proxy", "--upload-file", "--url",
                    "--write-out", "--retry", "--range", "--cacert", "--cert", "--key", "--resolve",
                ]))
        rows["wget"] = Row(
            kind: .wget,
            grammar: Grammar(
                valueShort: ["O", "o", "a", "P", "e", "t", "T", "w", "Q", "U", "i", "B", "l", "A", "R", "D", "I", "X"],
                valueLong: [
                    "--output-document", "--output-file", "--append-output", "--directory-prefix", "--execute",
                    "--tries", "--timeout", "--wait", "--user-agent", "--input-file", "--header", "--user",
                    "--password", "--level",
                ]))
        rows["git"] = Row(kind: .git)
        rows["find"] = Row(kind: .find)
        rows["busybox"] = Row(kind: .busybox)
        // Looked up by the name the dispatcher uses, which drops a version suffix (`bzip2` is `bzip`).
        for (name, row) in rows where rows[ProgramName.normalize(name)] == nil {
            rows[ProgramName.normalize(name)] = row
        }
        return rows
    }()

    /// Whether a program may change what a file holds (an editor, a writer, a copy): `rm`, `chmod` and the
    /// like never do, so what they touch need not be read for content.
    static func mayWriteContent(_ program: String) -> Bool {
        guard let row = table[program] else { return false }
        switch row.kind {
        case .each(let operation): return operation == .write
        case .attributes, .chattr, .rename, .find, .shred: return false
        default: return true
        }
    }

    /// Every program the table knows.
    static var names: Set<String> { Set(table.keys) }

    // MARK: Reading a command

    /// What `arguments` (argv, `arguments[0]` the program) does to files; `program` is its normalized name.
    static func effects(program: String, arguments: [Argument]) -> Effects {
        guard let row = table[program] else { return Effects() }
        var operands = Array(arguments.dropFirst())
        // Brace expansion makes words before the program sees them: `mv f{,.bak}` is `mv f f.bak`. (The
        // reader keeps a brace word whole; quoting is not known here, so a quoted one is expanded too.)
        if operands.contains(where: {
            !$0.isDynamic && $0.text.utf8.contains(UInt8(ascii: "{")) && $0.text.utf8.contains(UInt8(ascii: ","))
        }) {
            operands = operands.flatMap { operand -> [Argument] in
                guard !operand.isDynamic, operand.text.contains("{"), operand.text.utf8.count <= 4096 else {
                    return [operand]
                }
                return SelfProtection.braceExpansions(operand.text).map { Argument($0, span: operand.span) }
            }
        }
        switch row.kind {
        case .busybox:
            guard let applet = operands.first, !applet.isDynamic, table[applet.text] != nil,
                applet.text != "busybox"
            else { return Effects() }
            return effects(program: applet.text, arguments: operands)
        case .tar: return tar(operands)
        case .singleDashOutput(let options):
            var effects = Effects()
            for (index, operand) in operands.enumerated() where options.contains(operand.text) {
                if index + 1 < operands.count {
                    effects.targets.append(Target(argument: operands[index + 1], operation: .write))
                }
            }
            return effects
        case .git: return git(operands)
        case .find: return find(operands)
        default:
            return effects(row, scan(operands, grammar: row.grammar))
        }
    }

    /// A command's options and operands, getopt-style (GNU tools take options anywhere before `--`).
    struct Scanned {
        var options: [(name: String, value: Argument?)] = []
        var operands: [Argument] = []

        func has(_ name: String) -> Bool { options.contains { $0.name == name } }
        func value(_ names: String...) -> Argument? { options.last { names.contains($0.name) }?.value }
        func values(_ names: String...) -> [Argument] { options.filter { names.contains($0.name) }.compactMap(\.value) }
    }

    static func scan(_ arguments: [Argument], grammar: Grammar) -> Scanned {
        var result = Scanned()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let text = argument.text
            index += 1
            if text == "--" {
                result.operands += arguments[index...]
                break
            }
            if argument.isDynamic || !text.hasPrefix("-") || text == "-" {
                result.operands.append(argument)
                continue
            }
            if text.hasPrefix("--") {
                if let equals = text.firstIndex(of: "=") {
                    let value = Argument(
                        String(text[text.index(after: equals)...]), isDynamic: argument.isDynamic, span: argument.span)
                    result.options.append((String(text[..<equals]), value))
                } else if grammar.valueLong.contains(text), index < arguments.count {
                    result.options.append((text, arguments[index]))
                    index += 1
                } else {
                    result.options.append((text, nil))
                }
                continue
            }
            let letters = text.dropFirst()
            if let flags = grammar.flagLetters,
                !letters.allSatisfy({ flags.contains($0) || grammar.valueShort.contains($0) })
            {
                // `chmod -x f`: not an option of this program, so an operand (the mode).
                result.operands.append(argument)
                continue
            }
            var rest = Substring(letters)
            while let letter = rest.first {
                rest = rest.dropFirst()
                let name = String(letter)
                if grammar.valueShort.contains(letter) {
                    if !rest.isEmpty {
                        result.options.append((name, Argument(String(rest), span: argument.span)))
                    } else if index < arguments.count {
                        result.options.append((name, arguments[index]))
                        index += 1
                    } else {
                        result.options.append((name, nil))
                    }
                    break
                }
                if grammar.optionalShort.contains(letter) {
                    result.options.append((name, rest.isEmpty ? nil : Argument(String(rest), span: argument.span)))
                    break
                }
                result.options.append((name, nil))
            }
        }
        return result
    }

    private static func effects(_ row: Row, _ scanned: Scanned) -> Effects {
        var effects = Effects()
        let operands = scanned.operands
        func add(_ argument: Argument, _ operation: ProtectedPaths.Operation) {
            effects.targets.append(Target(argument: argument, operation: operation))
        }
        switch row.kind {
        case .each(let operation):
            for operand in operands { add(operand, operation) }
        case .shred:
            let removes = scanned.has("u") || scanned.has("--remove")
            for operand in operands { add(operand, removes ? .remove : .write) }
        case .attributes(let kind, let firstIsMode):
            let reference = scanned.value("--reference")
            let takesMode = firstIsMode && reference == nil
            let mode = takesMode ? operands.first : nil
            let change = AttributeChange(
                kind: kind, mode: kind == .mode ? mode?.text : nil,
                recursive: scanned.has("R") || scanned.has("--recursive"))
            for operand in operands.dropFirst(takesMode ? 1 : 0) {
                effects.targets.append(Target(argument: operand, operation: .attributes, attributes: change))
            }
        case .chattr:
            let change = AttributeChange(kind: .flags, mode: nil, recursive: scanned.has("R"))
            for operand in operands where !(operand.text.first.map { "+-=".contains($0) } ?? false) {
                effects.targets.append(Target(argument: operand, operation: .attributes, attributes: change))
            }
        case .copy(let kind):
            copy(kind, scanned, into: &effects)
        case .inPlace(let kind):
            inPlace(kind, scanned, into: &effects)
        case .editor:
            for operand in operands where !operand.text.hasPrefix("+") { add(operand, .write) }
        case .dd:
            for operand in operands where operand.text.hasPrefix("of=") {
                add(
                    Argument(String(operand.text.dropFirst(3)), isDynamic: operand.isDynamic, span: operand.span),
                    .write)
            }
        case .outputOption(let letter):
            for value in scanned.values(String(letter), "--output") { add(value, .write) }
            if row.grammar.valueShort.contains("p"), let first = operands.first {
                // `patch FILE [PATCH]` rewrites FILE.
                add(first, .write)
            }
        case .secondOperand:
            if operands.count >= 2 { add(operands[1], .write) }
        case .removesWith(let options, let archiveFirst):
            guard options.contains(where: scanned.has) else { break }
            for operand in operands.dropFirst(archiveFirst ? 1 : 0) { add(operand, .remove) }
        case .singleDashOutput:
            break  // read from the raw arguments (`effects(program:arguments:)`)
        case .compressor(let decompresses):
            let keeps = scanned.has("c") || scanned.has("k") || scanned.has("--stdout") || scanned.has("--keep")
            let decompressing = decompresses || scanned.has("d") || scanned.has("--decompress")
            for operand in operands {
                if !keeps { add(operand, .remove) }
                if decompressing, !scanned.has("c"), !scanned.has("--stdout"), let dot = operand.text.lastIndex(of: ".")
                {
                    add(
                        Argument(String(operand.text[..<dot]), isDynamic: operand.isDynamic, span: operand.span), .write
                    )
                }
            }
        case .rename:
            for operand in operands.dropFirst() { add(operand, .remove) }
        case .unzip:
            let listsOnly = ["l", "t", "v", "p", "z", "Z"].contains { scanned.has($0) }
            guard !listsOnly, !operands.isEmpty else { break }
            let destination = scanned.value("d") ?? Argument(".", span: operands[0].span)
            effects.targets.append(Target(argument: destination, operation: .write, content: .archive))
        case .curl:
            let directory = scanned.value("--output-dir")
            for value in scanned.values(
                "o", "--output", "c", "--cookie-jar", "D", "--dump-header", "--trace", "--trace-ascii", "--stderr",
                "--etag-save", "--hsts", "--alt-svc", "--libcurl")
            where value.text != "-" {
                add(within(directory, value), .write)
            }
            if scanned.has("O") || scanned.has("--remote-name") || scanned.has("--remote-name-all") {
                for url in operands { add(within(directory, remoteName(url)), .write) }
            }
        case .wget:
            let directory = scanned.value("P", "--directory-prefix")
            let documents = scanned.values("O", "--output-document")
            for value in documents where value.text != "-" { add(value, .write) }
            for value in scanned.values("o", "--output-file", "a", "--append-output") { add(value, .write) }
            if documents.isEmpty {
                for url in operands { add(within(directory, remoteName(url)), .write) }
            }
        case .tar, .git, .find, .busybox:
            break
        }
        return effects
    }

    /// `DIR/NAME`, or `NAME` when there is no directory (or NAME is absolute).
    static func within(_ directory: Argument?, _ name: Argument) -> Argument {
        guard let directory, !name.text.hasPrefix("/") else { return name }
        return Argument(
            directory.text + "/" + name.text, isDynamic: directory.isDynamic || name.isDynamic, span: name.span)
    }

    /// The file name `curl -O`/`wget` give a download: the URL's last path component.
    static func remoteName(_ url: Argument) -> Argument {
        var text = Substring(url.text)
        if let end = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<end] }
        if let scheme = text.firstRange(of: "://") { text = text[scheme.upperBound...] }
        let name = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst().last.map(String.init)
        return Argument(
            name.flatMap { $0.isEmpty ? nil : $0 } ?? "index.html", isDynamic: url.isDynamic, span: url.span)
    }

    private static func copy(_ kind: CopyKind, _ scanned: Scanned, into effects: inout Effects) {
        var sources = scanned.operands
        let explicitDirectory = scanned.value("t", "--target-directory")
        if kind == .install, scanned.has("d") || scanned.has("--directory") {
            for operand in sources { effects.targets.append(Target(argument: operand, operation: .write)) }
            return
        }
        if kind == .sync {
            // A remote side (`host:path`) is not on this machine.
            sources = sources.filter { !isRemote($0.text) }
        }
        guard let destination = explicitDirectory ?? (sources.count >= 2 ? sources.popLast() : nil) else {
            // `ln -s TARGET` makes a link named after TARGET in the current directory.
            if kind == .link, let target = sources.first {
                let link = Argument(Paths.basename(target.text), isDynamic: target.isDynamic, span: target.span)
                effects.targets.append(Target(argument: link, operation: .write))
                if !scanned.has("s"), !scanned.has("--symbolic") {
                    effects.targets.append(Target(argument: target, operation: .write))
                }
                effects.links.append(Link(path: link, target: target, isSymbolic: scanned.has("s")))
            }
            return
        }
        if kind == .sync, isRemote(destination.text) { return }
        let isFile = scanned.has("T") || scanned.has("--no-target-directory")
        let recursive =
            kind == .move
            || kind == .sync
                && (scanned.has("r") || scanned.has("a") || scanned.has("--recursive")
                    || scanned.has("--archive"))
            || kind == .copy
                && (scanned.has("r") || scanned.has("R") || scanned.has("a") || scanned.has("--recursive")
                    || scanned.has("--archive"))
        let deletes = kind == .sync && scanned.options.contains { $0.name.hasPrefix("--delete") || $0.name == "--del" }
        let removesSources =
            kind == .move || kind == .sync && scanned.has("--remove-source-files")
        if explicitDirectory == nil {
            effects.targets.append(Target(argument: destination, operation: .write))
        }
        // A hard link is the same file under another name: what is written through it is written to the
        // source (`ln ~/.local/bin/toolguard h; : > h`), so linking a file is writing it.
        let hardLinks = kind == .link && !scanned.has("s") && !scanned.has("--symbolic")
        for source in sources {
            if removesSources { effects.targets.append(Target(argument: source, operation: .remove)) }
            if hardLinks { effects.targets.append(Target(argument: source, operation: .write)) }
            let contentsOnly = source.text.hasSuffix("/.") || kind == .sync && source.text.hasSuffix("/")
            let named = Argument(
                trimmed(destination.text) + "/" + Paths.basename(trimmed(source.text)),
                isDynamic: destination.isDynamic || source.isDynamic, span: destination.span)
            if !isFile, !contentsOnly {
                effects.targets.append(Target(argument: named, operation: .write))
            }
            if recursive {
                let root = contentsOnly || isFile ? destination : named
                effects.targets.append(
                    Target(
                        argument: root, operation: .write,
                        content: .tree(source: source, contentsOnly: contentsOnly || isFile, onlyIfNotDirectory: false))
                )
                if !contentsOnly, !isFile, explicitDirectory == nil {
                    effects.targets.append(
                        Target(
                            argument: destination, operation: .write,
                            content: .tree(source: source, contentsOnly: true, onlyIfNotDirectory: true)))
                }
                if deletes {
                    effects.targets.append(Target(argument: root, operation: .remove))
                }
            }
            effects.links.append(
                Link(
                    path: isFile || explicitDirectory == nil ? destination : named, target: source,
                    isSymbolic: kind == .link && scanned.has("s")))
            if explicitDirectory == nil, !isFile {
                effects.links.append(Link(path: named, target: source, isSymbolic: kind == .link && scanned.has("s")))
            }
        }
    }

    static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
        if text.hasSuffix("/.") { text = text.dropLast(2) }
        return String(text)
    }

    static func isRemote(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        return !text[..<colon].contains("/")
    }

    private static func inPlace(_ kind: InPlaceKind, _ scanned: Scanned, into effects: inout Effects) {
        let inPlace: Bool
        var takesProgram: Bool
        switch kind {
        case .sed:
            inPlace = scanned.has("i") || scanned.has("--in-place")
            takesProgram =
                !(scanned.has("e") || scanned.has("f") || scanned.has("--expression") || scanned.has("--file"))
        case .perl:
            inPlace = scanned.has("i")
            takesProgram = !(scanned.has("e") || scanned.has("E"))
        case .ruby:
            inPlace = scanned.has("i")
            takesProgram = !scanned.has("e")
        case .awk:
            inPlace = scanned.values("i", "--include").contains { $0.text == "inplace" || $0.text == "inplace.awk" }
            takesProgram =
                !(scanned.has("f") || scanned.has("e") || scanned.has("E") || scanned.has("--file")
                || scanned.has("--source") || scanned.has("--exec"))
        case .yq:
            inPlace = scanned.has("i") || scanned.has("--inplace")
            takesProgram = true
        }
        guard inPlace else { return }
        var files = scanned.operands
        if takesProgram, !files.isEmpty { files.removeFirst() }
        for file in files where !(kind == .awk && Wrappers.assignmentParts(file) != nil) {
            effects.targets.append(Target(argument: file, operation: .write))
        }
    }

    /// `tar -x [-C DIR]` unpacks into DIR (default: here); `tar -c -f FILE` writes FILE.
    private static func tar(_ arguments: [Argument]) -> Effects {
        var effects = Effects()
        var extracts = false
        var creates = false
        var removesFiles = false
        var members: [Argument] = []
        var directory: Argument?
        var archive: Argument?
        var index = 0
        var pendingValues: [Character] = []
        func takeValue(_ letter: Character, _ value: Argument) {
            if letter == "C" { directory = value }
            if letter == "f" { archive = value }
        }
        while index < arguments.count {
            let argument = arguments[index]
            let text = argument.text
            index += 1
            if let letter = pendingValues.first {
                pendingValues.removeFirst()
                takeValue(letter, argument)
                continue
            }
            if argument.isDynamic { continue }
            if text.hasPrefix("--") {
                let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
                let inlineValue =
                    text.contains("=")
                    ? Argument(String(text.drop { $0 != "=" }.dropFirst()), span: argument.span) : nil
                switch name {
                case "--extract", "--get": extracts = true
                case "--create", "--append", "--update", "--concatenate": creates = true
                case "--remove-files": removesFiles = true
                case "--directory", "--file":
                    let value = inlineValue ?? (index < arguments.count ? arguments[index] : nil)
                    if inlineValue == nil { index += 1 }
                    if let value { takeValue(name == "--directory" ? "C" : "f", value) }
                default: break
                }
                continue
            }
            // The first argument may bundle options without a dash (`tar xzf a.tgz`).
            let bundled = index == 1 && !text.hasPrefix("-")
            guard text.hasPrefix("-") || bundled else {
                members.append(argument)
                continue
            }
            var letters = Substring(bundled ? text : String(text.dropFirst()))
            while let letter = letters.first {
                letters = letters.dropFirst()
                if letter == "x" { extracts = true }
                if "cru".contains(letter) { creates = true }
                if "fCTXbHKNgVLFI".contains(letter) {
                    if bundled {
                        pendingValues.append(letter)
                    } else if !letters.isEmpty {
                        takeValue(letter, Argument(String(letters), span: argument.span))
                        break
                    } else if index < arguments.count {
                        takeValue(letter, arguments[index])
                        index += 1
                        break
                    }
                }
            }
        }
        if extracts {
            let destination = directory ?? Argument(".", span: arguments.first?.span ?? 0..<0)
            effects.targets.append(Target(argument: destination, operation: .write, content: .archive))
        }
        if creates, let archive, archive.text != "-" {
            effects.targets.append(Target(argument: archive, operation: .write))
        }
        // `--remove-files`: what goes into the archive is removed (relative to -C's directory).
        if creates, removesFiles {
            for member in members {
                effects.targets.append(Target(argument: within(directory, member), operation: .remove))
            }
        }
        return effects
    }

    /// `git checkout|restore [--] PATH…` and `git stash push -- PATH…` rewrite those paths from the
    /// repository; `git -C DIR` moves where they are read from.
    private static func git(_ arguments: [Argument]) -> Effects {
        var effects = Effects()
        var index = 0
        var directory: Argument?
        while index < arguments.count {
            let text = arguments[index].text
            if text == "-C" || text == "-c" || text == "--git-dir" || text == "--work-tree" || text == "--namespace" {
                if text == "-C", index + 1 < arguments.count {
                    directory = within(directory, arguments[index + 1])
                }
                index += 2
            } else if text.hasPrefix("-") {
                index += 1
            } else {
                break
            }
        }
        guard index < arguments.count else { return effects }
        let subcommand = arguments[index].text
        var rest = Array(arguments[(index + 1)...])
        // What rewrites the work tree below a path: tracked files put back, untracked ones deleted. Which of
        // the files there git changes depends on the index, not known here: a protected file that exists below
        // asks (`git checkout .` may put back a project's settings without its hook); one named exactly blocks.
        func rewritesTree(_ paths: [Argument]) {
            for path in paths.isEmpty ? [Argument(".", span: arguments[index].span)] : paths {
                let path = within(directory, path)
                effects.targets.append(Target(argument: path, operation: .write))
                effects.targets.append(
                    Target(argument: path, operation: .remove, content: .found(names: nil, asks: true)))
            }
        }
        func has(_ flags: String...) -> Bool {
            rest.contains { argument in
                flags.contains(argument.text)
                    || flags.contains {
                        $0.count == 2 && argument.text.hasPrefix("-") && !argument.text.hasPrefix("--")
                            && argument.text.dropFirst().contains($0.last!)
                    }
            }
        }
        switch subcommand {
        case "checkout", "restore", "switch":
            let scanned = scan(
                rest,
                grammar: Grammar(
                    valueShort: ["b", "B", "c", "C", "s", "U"],
                    valueLong: ["--source", "--orphan", "--conflict", "--unified", "--create", "--force-create"]))
            // `checkout [BRANCH] [--] PATHS`: a branch name names no file, so every operand may be a path.
            var paths = subcommand == "switch" ? [] : scanned.operands
            if subcommand == "checkout", let separator = rest.firstIndex(where: { $0.text == "--" }) {
                paths = Array(rest[(separator + 1)...])
            }
            if !paths.isEmpty { rewritesTree(paths) }
            // Switching with `-f` throws the work tree's changes away.
            if subcommand != "restore", has("-f", "--force", "--discard-changes") { rewritesTree([]) }
        case "reset":
            if has("--hard", "--merge", "--keep") { rewritesTree([]) }
        case "stash":
            if let first = rest.first, ["push", "save"].contains(first.text) {
                rest.removeFirst()
            } else if let first = rest.first, !first.text.hasPrefix("-") {
                // list, show, pop, apply, drop, clear, branch, create, store: the work tree's changes stay (pop
                // and apply merge changes in; they do not throw any away).
                return effects
            }
            let scanned = scan(
                rest, grammar: Grammar(valueShort: ["m"], valueLong: ["--message", "--pathspec-from-file"]))
            rewritesTree(scanned.operands)
        case "clean":
            guard has("-f", "--force"), !has("-n", "--dry-run") else { return effects }
            let scanned = scan(rest, grammar: Grammar(valueShort: ["e"], valueLong: ["--exclude"]))
            rewritesTree(scanned.operands)
        case "rm":
            guard !has("--cached") else { return effects }
            let scanned = scan(rest, grammar: Grammar(valueLong: ["--pathspec-from-file"]))
            for path in scanned.operands {
                effects.targets.append(Target(argument: within(directory, path), operation: .remove))
            }
        case "mv":
            let scanned = scan(rest, grammar: Grammar())
            for path in scanned.operands.dropLast() {
                effects.targets.append(Target(argument: within(directory, path), operation: .remove))
            }
            if let destination = scanned.operands.last, scanned.operands.count > 1 {
                effects.targets.append(Target(argument: within(directory, destination), operation: .write))
            }
        default:
            break
        }
        return effects
    }

    /// `find START… EXPRESSION`: `-delete` removes what it finds; `-exec rm {} ;` (or any writer of this
    /// table given `{}`) does too, as far as can be told.
    private static func find(_ arguments: [Argument]) -> Effects {
        var effects = Effects()
        var starts: [Argument] = []
        var index = 0
        while index < arguments.count {
            let text = arguments[index].text
            if text.hasPrefix("-") || text == "(" || text == "!" || text == "," { break }
            starts.append(arguments[index])
            index += 1
        }
        if starts.isEmpty { starts = [Argument(".", span: arguments.first?.span ?? 0..<0)] }
        var names: [String]? = []
        var deletes = false
        var executesWriter = false
        while index < arguments.count {
            let text = arguments[index].text
            switch text {
            case "-delete": deletes = true
            case "-name", "-iname":
                if index + 1 < arguments.count {
                    names?.append(arguments[index + 1].isDynamic ? "*" : arguments[index + 1].text)
                    index += 1
                }
            case "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex":
                names = nil
                index += 1
            case "-exec", "-execdir", "-ok", "-okdir":
                if index + 1 < arguments.count {
                    let command = ProgramName.normalize(arguments[index + 1].text)
                    var end = index + 1
                    while end < arguments.count, arguments[end].text != ";", arguments[end].text != "+" {
                        if arguments[end].text.contains("{}"), table[command] != nil, command != "find" {
                            // `-exec rm {} +` removes what it finds, as `-delete` does; another writer's effect
                            // on what it finds (`chmod`, `cp {} …`) is not modelled: it asks.
                            if FileSystemChanges.findRemovers.contains(command), arguments[end].text == "{}" {
                                deletes = true
                            } else {
                                executesWriter = true
                            }
                        }
                        end += 1
                    }
                    index = end
                }
            default: break
            }
            index += 1
        }
        if names?.isEmpty == true { names = [] }
        guard deletes || executesWriter else { return effects }
        for start in starts {
            effects.targets.append(
                Target(argument: start, operation: .remove, content: .found(names: names, asks: !deletes)))
        }
        return effects
    }
}
