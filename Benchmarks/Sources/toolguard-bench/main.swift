import Ecosystems
import GuardKit

#if canImport(Glibc)
    import Glibc
#endif

// Measures what SPEC §10 budgets: hook wall time against /bin/true (same run, interleaved), the time to
// judge a 1 MB command, and batch judgements per second on one core.

func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Runs `path` with `arguments`, stdin from `inputPath`, output discarded (or written to `outputPath`);
/// returns wall nanoseconds.
func spawnAndWait(
    _ path: String, _ arguments: [String], inputPath: String, environment: [String], outputPath: String = "/dev/null"
) -> UInt64 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var pid: pid_t = 0
    let start = now()
    guard posix_spawn(&pid, path, &actions, nil, argv, envp) == 0 else {
        fatalError("cannot run \(path)")
    }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return now() - start
}

/// The hook's answer in a file it wrote: `deny`, `ask` or `-` (no decision: the command runs), and whether
/// the line was judged by its words because its reading ran out of time.
func decision(in path: String) -> String {
    guard let file = fopen(path, "r") else { return "?" }
    defer { fclose(file) }
    var text = ""
    var buffer = [CChar](repeating: 0, count: 4096)
    while fgets(&buffer, 4096, file) != nil { text += String(cString: buffer) }
    let answer =
        text.contains(#""permissionDecision":"deny""#)
        ? "deny" : text.contains(#""permissionDecision":"ask""#) ? "ask" : "-"
    return text.contains("too long to read in full") ? answer + ", by its words" : answer
}

func writeFile(_ path: String, _ text: String) {
    let file = fopen(path, "w")!
    fputs(text, file)
    fclose(file)
}

func percentile(_ values: [UInt64], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))
    return Double(sorted[index]) / 1_000_000
}

func format(_ milliseconds: Double) -> String {
    let hundredths = Int((milliseconds * 100).rounded())
    return "\(hundredths / 100).\(String(hundredths % 100).count == 1 ? "0" : "")\(hundredths % 100) ms"
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: toolguard-bench PATH-TO-TOOLGUARD [RUNS]")
    exit(64)
}
let binary = arguments[1]
let runs = arguments.count > 2 ? Int(arguments[2]) ?? 300 : 300
let scratch = "/tmp/toolguard-bench-\(getpid())"
mkdir(scratch, 0o755)
mkdir(scratch + "/project", 0o755)
mkdir(scratch + "/project/.git", 0o755)
// A venv for the activation shape: `source .venv/bin/activate` then pip is the project's.
for directory in ["/project/.venv", "/project/.venv/bin"] { mkdir(scratch + directory, 0o755) }
for file in ["/project/.venv/pyvenv.cfg", "/project/.venv/bin/activate"] { writeFile(scratch + file, "") }
let environment = ["HOME=\(scratch)", "PATH=/usr/local/bin:/usr/bin:/bin"]

func hookInput(_ command: String) -> String {
    let input: JSONValue = .object([
        "session_id": "bench", "cwd": .string(scratch + "/project"), "hook_event_name": "PreToolUse",
        "tool_name": "Bash", "tool_input": .object(["command": .string(command)]),
    ])
    return input.serialized()
}

print("toolguard benchmark — \(binary)")
print("")

/// `batch` as an argument measures only the batch (for profiling it).
let batchOnly = arguments.contains("batch")

// 1. Hook wall time, interleaved with /bin/true so that both see the same machine state.
for (label, command) in batchOnly ? [] : [
    ("blocked command (pip install requests)", "pip install requests"),
    ("passed command (git status && ls -la)", "git status && ls -la"),
] {
    let inputPath = scratch + "/input.json"
    writeFile(inputPath, hookInput(command))
    var hook: [UInt64] = []
    var baseline: [UInt64] = []
    for _ in 0..<10 { _ = spawnAndWait(binary, ["hook"], inputPath: inputPath, environment: environment) }
    for _ in 0..<runs {
        baseline.append(spawnAndWait("/bin/true", [], inputPath: inputPath, environment: environment))
        hook.append(spawnAndWait(binary, ["hook"], inputPath: inputPath, environment: environment))
    }
    let overhead = percentile(hook, 0.5) - percentile(baseline, 0.5)
    print("hook, \(label), \(runs) runs")
    print("  /bin/true   median \(format(percentile(baseline, 0.5)))   p99 \(format(percentile(baseline, 0.99)))")
    print("  toolguard   median \(format(percentile(hook, 0.5)))   p99 \(format(percentile(hook, 0.99)))")
    print("  overhead    median \(format(overhead))   (budget: 2 ms)")
    print("")
}

// 2. 1 MB commands of every shape SPEC §10 names, through the hook process (whole-process wall time,
// median of 3), and with `scaling` the same shapes from 10 KB to 4 MB: linear time means ×4 from 1 to 4 MB.
let judge = CommandJudge(ecosystems: builtInEcosystems)
let hookEnvironment = ["HOME": scratch, "PATH": "/usr/local/bin:/usr/bin:/bin"]

/// `unit` repeated to about `size` bytes, then `tail`.
func repeated(_ unit: String, _ size: Int, _ tail: String = "pip install requests") -> String {
    String(repeating: unit, count: max(1, size / unit.utf8.count)) + tail
}

/// `make(i)` for i = 0, 1, … until about `size` bytes, then `tail`.
func numbered(_ size: Int, _ tail: String, _ make: (Int) -> String) -> String {
    var text = ""
    var index = 0
    while text.utf8.count < size {
        text += make(index)
        index += 1
    }
    return text + tail
}

let shapes: [(String, (Int) -> String)] = [
    (
        "dense command list",
        { repeated("cd src && FOO=\"a b\" echo $(git rev-parse HEAD) | grep -v x; bash -c 'ls -la' ; ", $0) }
    ),
    (
        "heredoc",
        { size in
            "cat > data.py <<'EOF'\n"
                + repeated(
                    "print(\"pip install requests && npm i -g x\")  # $HOME `x` 'y'\n", size,
                    "EOF\npip install requests")
        }
    ),
    ("`echo x > /dev/null; ` repeated", { repeated("echo x > /dev/null; ", $0) }),
    ("`>fN; ` distinct writes", { numbered($0, "pip install requests") { ">f\($0); " } }),
    ("`rm /tmp/a/a/…/f`, one deep path", { "rm /tmp/" + String(repeating: "a/", count: $0 / 2) + "f" }),
    ("`export Xn=1; ` repeated", { numbered($0, "pip install requests") { "export X\($0)=1; " } }),
    ("`source .venv/bin/activate; ` repeated", { repeated("source .venv/bin/activate; ", $0) }),
    ("`rm -f f0 f1 …`", { numbered($0, "") { $0 == 0 ? "rm -f f0" : " f\($0)" } }),
    (
        "`P=$P/$P/$P/$P` ×5 then `echo x > /tmp/$P/f` repeated",
        { size in
            "P=a/a/a/a/a/a/a/a; " + String(repeating: "P=$P/$P/$P/$P; ", count: 5)
                + repeated("echo x > /tmp/$P/f; ", size)
        }
    ),
    ("`pip install x; ` repeated", { repeated("pip install x; ", $0) }),
    ("`npm install x; ` repeated", { repeated("npm install x; ", $0) }),
    ("pip with one option repeated", { "pip install " + String(repeating: "--user ", count: $0 / 7) + "x" }),
    ("npm with one option repeated", { "npm install " + String(repeating: "-g ", count: $0 / 3) + "x" }),
    ("npx with options repeated", { "npx " + String(repeating: "-p x ", count: $0 / 5) + "cowsay" }),
    ("gem with one option repeated", { "gem install " + String(repeating: "--install-dir /x ", count: $0 / 17) + "x" }),
    ("cargo with one option repeated", { "cargo install " + String(repeating: "--root /x ", count: $0 / 10) + "x" }),
    ("conda with one option repeated", { "conda install " + String(repeating: "-n base ", count: $0 / 8) + "x" }),
    (
        "nested loops",
        { repeated("for i in a b c d e f g h i j k l m n o p; do for j in a b c; do echo $i$j; done; done; ", $0) }
    ),
    (
        "deep nesting `{ { … } }`",
        { size in
            String(repeating: "{ ", count: 40) + repeated("true; ", size, "") + String(repeating: " }", count: 40)
                + "; pip install requests"
        }
    ),
    ("many functions", { numbered($0, "pip install requests") { "f\($0)() { pip install x; }; f\($0); " } }),
    ("text piped into shells", { repeated("echo 'pip install x' | sh; ", $0) }),
    ("eval chains", { repeated("eval 'eval \"echo x\"'; ", $0) }),
    ("wrapper chains", { repeated("sudo env A=1 nice -n 5 timeout 5 nohup time command pip install x; ", $0) }),
    (
        "`A=1 true; ` after many exports",
        { size in
            numbered(size / 2, "") { "export X\($0)=1; " } + repeated("A=1 true; ", size / 2)
        }
    ),
]

let scaling = arguments.contains("scaling")
print("1 MB commands through the hook process (median of 3 runs; budget: 100 ms)")
for (label, make) in batchOnly ? [] : shapes {
    let path = scratch + "/big.json"
    writeFile(path, hookInput(make(1_000_000)))
    var times: [UInt64] = []
    let answer = scratch + "/answer.json"
    for _ in 0..<3 {
        times.append(spawnAndWait(binary, ["hook"], inputPath: path, environment: environment, outputPath: answer))
    }
    var line = "  \(label): \(format(percentile(times, 0.5)))  [\(decision(in: answer))]"
    if scaling {
        var row: [String] = []
        for size in [10_000, 100_000, 1_000_000, 4_000_000] {
            writeFile(path, hookInput(make(size)))
            row.append(
                "\(size / 1000) KB \(format(Double(spawnAndWait(binary, ["hook"], inputPath: path, environment: environment)) / 1_000_000))"
            )
        }
        line += "   [" + row.joined(separator: ", ") + "]"
    }
    print(line)
}
print("")

// 2b. Files the line runs (SPEC §3.1): a 1 MB script run with bash, and a makefile of 1,000 targets, each
// with a recipe, run with make — through the hook process. Both end in a global install.
if !batchOnly {
    var script = ""
    let scriptLine = "cd src && FOO=\"a b\" echo $(git rev-parse HEAD) | grep -v x; [ -f x ] && ls -la\n"
    while script.utf8.count < 1_000_000 - 64 { script += scriptLine }
    script += "pip install requests\n"
    writeFile(scratch + "/project/big.sh", script)
    var makefile = "all: " + (1...1000).map { "t\($0)" }.joined(separator: " ") + "\n"
    makefile += "CFLAGS ?= -O2\nBIN := .venv/bin\n"
    for index in 1...1000 {
        makefile +=
            "t\(index):\(index == 1 ? "" : " t\(index - 1)")\n\t@echo building $@ with $(CFLAGS) && cc $(CFLAGS) -c src/t\(index).c\n"
    }
    makefile += "t1000: deps\ndeps:\n\tpip install requests\n"
    writeFile(scratch + "/project/Makefile", makefile)
    for (label, command) in [("script run with bash", "bash big.sh"), ("makefile of 1,000 targets", "make all")] {
        let path = scratch + "/files.json"
        writeFile(path, hookInput(command))
        var runs: [UInt64] = []
        let answer = scratch + "/answer.json"
        for _ in 0..<7 {
            runs.append(spawnAndWait(binary, ["hook"], inputPath: path, environment: environment, outputPath: answer))
        }
        var inProcess: [UInt64] = []
        for _ in 0..<5 {
            let start = now()
            let report = judge.judge(
                command, directory: scratch + "/project", environment: hookEnvironment, tracing: false)
            inProcess.append(now() - start)
            precondition(report.verdict == .block, "\(label): \(report.verdict)")
        }
        print("1 MB-class file: \(label)")
        print("  hook process   median \(format(percentile(runs, 0.5)))   (budget: 100 ms)  [\(decision(in: answer))]")
        print("  in-process     median \(format(percentile(inProcess, 0.5)))")
        print("")
    }
    unlink(scratch + "/project/big.sh")
    unlink(scratch + "/project/Makefile")
}

// 3. Batch throughput on one core: typical commands, judged in-process.
let typical = [
    "pip install requests", "ls -la", "git status", "npm install", "npm install -g typescript", "cargo build",
    "go test ./...", "python3 -m pytest -q", "source .venv/bin/activate && pip install -r requirements.txt",
    "cd src && make -j4", "echo \"done\" > /tmp/out.txt", "docker run --rm img pip install x",
    "grep -rn 'TODO' Sources | head -20", "sudo apt-get install -y jq", "uv add httpx", "bundle install",
    "cat README.md", "find . -name '*.swift' | xargs wc -l", "git commit -m \"pip install x\"",
    "python -m venv .venv && .venv/bin/pip install -e .", "curl -fsSL https://example.com/x.sh | sh",
    "go install golang.org/x/tools/gopls@latest", "cargo install ripgrep", "gem install rails",
    "rm -rf build && mkdir build", "npx prettier --write .", "export PATH=$HOME/bin:$PATH; which node",
    "for f in *.txt; do wc -l $f; done", "bash -c 'pip3 install --user black'", "poetry add requests",
]
let batchSize = 20_000
var commands: [String] = []
while commands.count < batchSize { commands.append(typical[commands.count % typical.count]) }
// A batch is judged as `toolguard audit` judges one: one process, the kernel's answers about paths shared
// across the batch (a `FileSystemSnapshot`: the file system does not change while it runs). Each judgement
// on its own, as the hook makes it, is measured too: what a batch saves is the repeated `stat`s.
for (label, shared) in [("batch (shared file-system answers, as audit judges)", true), ("each judged afresh", false)] {
    var verdicts = [0, 0, 0, 0]
    let snapshot = shared ? FileSystemSnapshot() : nil
    let batchStart = now()
    for command in commands {
        let report = judge.judge(
            command, directory: scratch + "/project", environment: hookEnvironment, tracing: false, snapshot: snapshot)
        verdicts[report.verdict.rawValue] += 1
    }
    let seconds = Double(now() - batchStart) / 1_000_000_000
    print("batch: \(batchSize) typical commands in \(format(seconds * 1000)), \(label)")
    // SPEC §10's batch budget is audit's; a hook run judges one command afresh and has its own budget above.
    let budget = shared ? "(budget: 50,000)" : "(no batch budget: the hook judges one command)"
    print("  \(Int(Double(batchSize) / seconds)) commands per second on one core   \(budget)")
    print("  verdicts: pass \(verdicts[0]), allow \(verdicts[1]), ask \(verdicts[2]), block \(verdicts[3])")
}
