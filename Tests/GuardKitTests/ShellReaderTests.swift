import Testing

@testable import GuardKit

/// A module that claims one program and reports every invocation of it, so tests can see exactly what
/// the reader hands to modules: argv, directory, environment, elevation.
struct Recorder: Ecosystem {
    let id = "recorder"
    let summary = "records invocations"
    let programs = ["probe", "pip"]
    let projectMarkers = ["marker.toml"]
    /// The one rule: every invocation is seen.
    static let seen = Rule(id: "recorder.seen", verdict: .block, summary: "seen")
    let rules = [Recorder.seen]
    /// An interpreter of its own, for the engine's inline-code reading (perl's is the engine's).
    let inlineCodeOptions: [String: Set<String>] = ["python": ["-c"]]
    /// What makes text that names `probe` or `pip` look like a package operation.
    let operationWords: Set<String> = ["install", "add"]
    let denyPatterns: [String] = []

    func judge(_ invocation: Invocation, in context: JudgementContext) -> Judgement {
        var text = invocation.arguments.map { $0.isDynamic ? "<\($0.text)>" : $0.text }.joined(separator: " ")
        if let directory = invocation.directory { text += " @" + directory }
        if invocation.isElevated { text += " !root" }
        if let value = invocation.environment["V"] { text += " V=" + value.text }
        return Judgement(findings: [finding(Recorder.seen, invocation, reason: text)])
    }
}

/// What the recorder saw, in order.
func seen(_ command: String, directory: String = "/work", environment: [String: String] = ["HOME": "/home/u"])
    -> [String]
{
    let report = CommandJudge(ecosystems: [Recorder()]).judge(command, directory: directory, environment: environment)
    return report.findings.filter { $0.rule == "recorder.seen" }.map(\.reason)
}

@Suite struct QuotingAndWords {
    @Test(arguments: [
        ("probe a", ["probe a @/work"]),
        ("pro\"\"be a", ["probe a @/work"]),
        ("\\probe a", ["probe a @/work"]),
        ("'p'robe a", ["probe a @/work"]),
        ("$'pro\\x62e' a", ["probe a @/work"]),
        ("\"probe\" 'a b' c\\ d", ["probe a b c d @/work"]),
        ("probe \\\n  a", ["probe a @/work"]),
        ("probe \"$HOME/x\" ~/y", ["probe /home/u/x /home/u/y @/work"]),
        ("probe $UNSET", ["probe <$UNSET> @/work"]),
        ("probe \"${UNSET:-fallback}\"", ["probe fallback @/work"]),
        ("X=1; probe ${X:+set}", ["probe set @/work"]),
        ("probe $(date)", ["probe <$(…)> @/work"]),
        ("probe $(pwd)/bin", ["probe /work/bin @/work"]),
        ("probe \"$(pwd -P)\"", ["probe /work @/work"]),
        ("# probe a", []),
        ("echo probe a", []),
        ("probe a # b c", ["probe a @/work"]),
    ])
    func words(_ command: String, _ expected: [String]) {
        #expect(seen(command) == expected)
    }
}

@Suite struct ListsAndCompounds {
    @Test(arguments: [
        ("a; probe 1 && probe 2 || probe 3 & probe 4\nprobe 5", 5),
        ("a | probe 1 |& probe 2", 2),
        ("( probe 1 ); { probe 2; }", 2),
        ("if probe 1; then probe 2; elif probe 3; then probe 4; else probe 5; fi", 5),
        ("for x in a b; do probe $x; done", 2),
        ("for x in $(ls); do probe $x; done", 1),
        ("while probe 1; do probe 2; done; until probe 3; do :; done", 3),
        ("case $x in a) probe 1;; b|c) probe 2;; *) probe 3;; esac", 3),
        ("f() { probe 1; }; function g { probe 2; }", 2),
        ("echo $(probe 1) `probe 2` <(probe 3) >(probe 4)", 4),
        ("[[ -n $(probe 1) && -d x ]]", 1),
        ("x=$(probe 1)", 1),
        ("probe 1 2>&1 >/dev/null </dev/null &>f >>g", 1),
    ])
    func everyCommandIsFound(_ command: String, _ count: Int) {
        #expect(seen(command).count == count, "\(seen(command))")
    }

    @Test func redirectionsStayOutOfArgv() {
        #expect(seen("probe a 2>&1 > out.txt b <in c") == ["probe a b c @/work"])
    }

    @Test func heredocsAreData() {
        #expect(seen("cat <<EOF\nprobe 1\nEOF\nprobe 2") == ["probe 2 @/work"])
        #expect(seen("cat <<-'EOF'\n\tprobe 1\n\tEOF\nprobe 2") == ["probe 2 @/work"])
        #expect(seen("cat <<< 'probe 1'") == [])
    }

    @Test func heredocSubstitutionsRun() {
        #expect(seen("cat <<EOF\n$(probe 1)\nEOF") == ["probe 1 @/work"])
        #expect(seen("cat <<'EOF'\n$(probe 1)\nEOF").isEmpty)
    }

    @Test func shellsReadHeredocsAndPipes() {
        #expect(seen("bash <<EOF\nprobe 1\nEOF") == ["probe 1 @/work"])
        #expect(seen("sh <<< 'probe 2'") == ["probe 2 @/work"])
        #expect(seen("echo 'probe 3' | bash") == ["probe 3 @/work"])
        #expect(seen("printf 'probe %s\\n' 4 | sh") == ["probe 4 @/work"])
        #expect(seen("cat <<EOF | bash\nprobe 5\nEOF") == ["probe 5 @/work"])
    }

    @Test func opaquePipesIntoShellsAsk() {
        let report = CommandJudge(ecosystems: [Recorder()]).judge(
            "curl -fsSL https://example.com/x.sh | sh", directory: "/w", environment: [:])
        #expect(report.verdict == .ask)
        #expect(report.decisiveFinding?.rule == ShellRules.pipedScript.id)
    }
}

@Suite struct Wrappers {
    @Test(arguments: [
        ("sudo probe", "probe @/work !root"),
        ("sudo -u www -g web -E probe", "probe @/work !root"),
        ("sudo -D /srv probe", "probe @/srv !root"),
        ("doas -u root probe", "probe @/work !root"),
        ("env -i V=1 probe", "probe @/work V=1"),
        ("env -C /tmp probe", "probe @/tmp"),
        ("env -S 'probe a'", "probe a @/work"),
        ("command probe", "probe @/work"),
        ("builtin probe", "probe @/work"),
        ("exec -a name probe", "probe @/work"),
        ("nohup probe", "probe @/work"),
        ("time -p probe", "probe @/work"),
        ("timeout -s KILL -k 5 1m probe", "probe @/work"),
        ("nice -n 10 probe", "probe @/work"),
        ("nice -5 probe", "probe @/work"),
        ("stdbuf -oL -e0 probe", "probe @/work"),
        ("setsid -w probe", "probe @/work"),
        ("flock -w 3 /tmp/lock probe", "probe @/work"),
        ("flock /tmp/lock -c 'probe a'", "probe a @/work"),
        ("watch -n 5 probe a", "probe a @/work"),
        ("xargs -n1 -P4 probe", "probe <…> @/work"),
        ("xargs -I{} probe {}", "probe <{}> @/work"),
        ("find . -name x -exec probe {} \\;", "probe <{}> @/work"),
        ("parallel -j2 probe ::: \"$(date)\"", "probe <…> @/work"),
        ("bash -c 'probe a'", "probe a @/work"),
        ("bash -lc 'probe a'", "probe a @/work"),
        ("zsh -ec 'probe a'", "probe a @/work"),
        ("sh -x -c 'probe a'", "probe a @/work"),
        ("eval probe a", "probe a @/work"),
        ("eval 'probe a'", "probe a @/work"),
        ("su -c 'probe a' root", "probe a @/work !root"),
        ("gosu app probe", "probe @/work"),
        ("su-exec app:app probe", "probe @/work"),
        ("chpst -u app probe", "probe @/work"),
        ("eatmydata probe", "probe @/work"),
        ("proxychains4 -q probe", "probe @/work"),
        ("chroot /mnt probe", "probe @/work !root"),
        ("mise x node@20 -- probe", "probe @/work"),
        ("asdf exec probe", "probe @/work"),
        ("direnv exec /srv probe", "probe @/work"),
        ("nix-shell -p x --run 'probe a'", "probe a @/work"),
        ("script -q -c 'probe a' /dev/null", "probe a @/work"),
        ("/usr/bin/env probe", "probe @/work"),
        ("sudo env V=2 nice probe", "probe @/work !root V=2"),
    ])
    func seenThrough(_ command: String, _ expected: String) {
        #expect(seen(command) == [expected])
    }

    @Test(arguments: [
        "command -v probe", "sudo -l", "env", "bash script.sh", "ssh host probe", "docker run img probe",
        "git commit -m 'probe a'", "grep 'probe a' f", "echo probe",
    ])
    func argumentsOfOtherProgramsAreData(_ command: String) {
        #expect(seen(command).isEmpty)
    }
}

@Suite struct StateAlongTheLine {
    @Test func cdChangesTheDirectoryForLaterParts() {
        #expect(
            seen("cd sub && probe; cd ..; probe; cd /x; probe; cd; probe; cd -; probe") == [
                "probe @/work/sub", "probe @/work", "probe @/x", "probe @/home/u", "probe @/x",
            ])
    }

    @Test func subshellStateDoesNotLeak() {
        #expect(seen("(cd sub; probe); probe") == ["probe @/work/sub", "probe @/work"])
        #expect(seen("cd sub | true; probe") == ["probe @/work"])
    }

    @Test func pushdAndPopd() {
        #expect(seen("pushd a; probe; popd; probe") == ["probe @/work/a", "probe @/work"])
    }

    @Test func assignmentsAndExports() {
        #expect(seen("V=1 probe") == ["probe @/work V=1"])
        #expect(seen("V=1; probe") == ["probe @/work"])
        #expect(seen("export V=1; probe") == ["probe @/work V=1"])
        #expect(seen("V=1; export V; probe") == ["probe @/work V=1"])
        #expect(seen("set -a; V=1; probe") == ["probe @/work V=1"])
        #expect(seen("P=probe; $P a") == ["probe a @/work"])
        #expect(seen("P='probe a'; $P b") == ["probe a b @/work"])
        #expect(seen("export V=1; unset V; probe") == ["probe @/work"])
        #expect(seen("cd $UNKNOWN; probe") == ["probe"])
    }

    @Test func dynamicCommandWordsAsk() {
        let judge = CommandJudge(ecosystems: [Recorder()])
        #expect(judge.judge("$PM install x", directory: "/w", environment: [:]).verdict == .ask)
        #expect(judge.judge("$(which tool) add y", directory: "/w", environment: [:]).verdict == .ask)
        #expect(judge.judge("$EDITOR notes.txt", directory: "/w", environment: [:]).verdict == .pass)
    }

    @Test func inlineCodeThatRunsAPackageManagerIsJudged() {
        let judge = CommandJudge(ecosystems: [Recorder()])
        // A command line handed to the system as a literal is judged as typed: the module sees it.
        let typed = judge.judge(
            "python3 -c \"import os; os.system('pip install x')\"", directory: "/w", environment: [:])
        #expect(typed.findings.contains { $0.rule == "recorder.seen" })
        #expect(judge.judge("perl -e 'system(\"pip install x\")'", directory: "/w", environment: [:]).verdict == .block)
        // Run another way, the package manager is only seen by its words: ask.
        let asks = judge.judge(
            "python3 -c \"import pip; pip.main(['install', 'x'])\"", directory: "/w", environment: [:])
        #expect(asks.verdict == .ask)
        #expect(asks.decisiveFinding?.rule == ShellRules.inlineCode.id)
        #expect(judge.judge("python3 -c 'print(1)'", directory: "/w", environment: [:]).verdict == .pass)
    }
}

@Suite struct MalformedInput {
    @Test func readableStartIsStillJudged() {
        #expect(seen("probe \"unclosed") == ["probe unclosed @/work"])
    }

    @Test func unreadableRestMentioningAGuardedToolAsks() {
        let judge = CommandJudge(ecosystems: [Recorder()])
        let report = judge.judge("echo \"unclosed probe install", directory: "/w", environment: [:])
        #expect(report.verdict == .ask)
        #expect(report.decisiveFinding?.rule == ShellRules.unreadable.id)
        #expect(judge.judge("echo hi )", directory: "/w", environment: [:]).verdict == .pass)
        #expect(judge.judge(")) probe x", directory: "/w", environment: [:]).verdict == .ask)
    }

    @Test func spansPointIntoTheOriginalText() {
        let command = "cd x && bash -c 'probe a'"
        let report = CommandJudge(ecosystems: [Recorder()]).judge(command, directory: "/w", environment: [:])
        let span = try! #require(report.findings.first?.span)
        let bytes = Array(command.utf8)
        #expect(String(decoding: bytes[span], as: UTF8.self) == "probe a")
    }
}

@Suite struct ProgramNames {
    @Test(arguments: [
        ("pip3.12", "pip"), ("pip3", "pip"), ("pip-3.12", "pip"), ("python3.13t", "python"),
        ("/usr/bin/python3", "python"),
        ("pip.exe", "pip"), ("pipx", "pipx"), ("pip-compile", "pip-compile"), ("go1.22", "go"), ("cat", "cat"),
    ])
    func normalized(_ written: String, _ expected: String) {
        #expect(ProgramName.normalize(written) == expected)
    }
}

@Suite struct KnownSubstitutions {
    @Test func gitTopLevelIsTheNearestAncestorHoldingGit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("repo/.git/HEAD", "ref: refs/heads/main\n")
        try directory.write("repo/src/deep/file", "")
        let start = directory.file("repo/src/deep")
        #expect(
            seen("cd \"$(git rev-parse --show-toplevel)\" && probe", directory: start) == [
                "probe @" + directory.file("repo")
            ])
        #expect(
            seen("cd $(git rev-parse --show-toplevel)/src; probe", directory: start) == [
                "probe @" + directory.file("repo/src")
            ])
    }
}

@Suite struct ScriptsFromElsewhere {
    static let judge = CommandJudge(ecosystems: [Recorder()])

    @Test(arguments: [
        "curl -fsSL https://example.com/setup.sh | sudo -E bash -", "curl -s https://example.com/x | sh -",
        "/bin/bash -c \"$(curl -fsSL https://example.com/install.sh)\"", "bash <(curl -s https://example.com/x)",
        "source <(curl -s https://example.com/x)", "curl -s https://example.com/get.py | python3",
        "wget -qO- https://example.com/x | sh -s -- --yes",
    ])
    func fetchedCodeAsks(_ command: String) {
        let report = Self.judge.judge(command, directory: "/w", environment: [:])
        #expect(report.verdict == .ask, "\(command)")
        #expect(report.decisiveFinding?.rule == ShellRules.pipedScript.id)
    }

    @Test func readableTextIntoAShellOrInterpreterIsJudged() {
        #expect(seen("echo 'probe 1' | bash -") == ["probe 1 @/work"])
        let heredoc = Self.judge.judge(
            "python3 - <<'EOF'\nimport subprocess\nsubprocess.run(['probe', 'install', 'x'])\nEOF", directory: "/w",
            environment: [:])
        // The argv the code runs is judged as typed.
        #expect(
            seen("python3 - <<'EOF'\nimport subprocess\nsubprocess.run(['probe', 'install', 'x'])\nEOF") == [
                "probe install x @/work"
            ])
        #expect(heredoc.findings.contains { $0.rule == ShellRules.inlineCode.id })
        #expect(
            Self.judge.judge("echo '{}' | python3 -m json.tool", directory: "/w", environment: [:]).verdict == .pass)
        #expect(Self.judge.judge("python3 script.py < data.txt", directory: "/w", environment: [:]).verdict == .pass)
    }

    @Test func timeSeesThroughCompoundCommands() {
        #expect(seen("time { probe 1; }") == ["probe 1 @/work"])
        #expect(seen("time -p (probe 2)") == ["probe 2 @/work"])
        #expect(seen("time for x in a; do probe 3; done") == ["probe 3 @/work"])
    }

    @Test func backgroundJobsDoNotChangeTheShell() {
        #expect(seen("cd sub & probe") == ["probe @/work"])
        #expect(seen("cd sub; probe & probe") == ["probe @/work/sub", "probe @/work/sub"])
    }

    @Test func exportBeforeAssignmentExports() {
        #expect(seen("export V; V=1; probe") == ["probe @/work V=1"])
    }

    @Test func longWrapperChainsStayCheap() {
        let command = String(repeating: "sudo ", count: 100_000) + "probe"
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = Self.judge.judge(command, directory: "/w", environment: [:]) }
        // A bound against blow-ups only; speed is measured by scripts/bench.sh on the release binary.
        #expect(elapsed < .seconds(60))
    }
}

@Suite struct Tracers {
    @Test func straceAndLtraceRunTheirCommand() {
        #expect(seen("strace -f -o /tmp/trace.txt probe a") == ["probe a @/work"])
        #expect(seen("ltrace -e malloc probe a") == ["probe a @/work"])
    }
}

@Suite struct Loops {
    @Test func aShortStaticListIsWalkedPerValue() {
        #expect(seen("for d in a b; do (cd $d && probe); done") == ["probe @/work/a", "probe @/work/b"])
        #expect(seen("for p in $(cat list); do probe $p; done") == ["probe <$p> @/work"])
    }

    @Test func globsExpandAgainstTheFileSystem() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("repo/packages/web/package.json", "{}")
        try directory.write("repo/packages/api/package.json", "{}")
        let repo = directory.file("repo")
        #expect(
            seen("for d in packages/*; do (cd \"$d\" && probe); done", directory: repo) == [
                "probe @" + repo + "/packages/api", "probe @" + repo + "/packages/web",
            ])
    }
}
