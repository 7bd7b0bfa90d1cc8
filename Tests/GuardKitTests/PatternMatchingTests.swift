import GuardKit
import Testing

@Suite("Claude Code permission patterns")
struct PatternMatchingTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var rule: String
        var command: String
        var matches: Bool
        var testDescription: String { "\(rule) \(matches ? "matches" : "does not match") \(command.debugDescription)" }
    }

    static func row(_ rule: String, _ command: String, _ matches: Bool) -> Row {
        Row(rule: rule, command: command, matches: matches)
    }

    static let rows: [Row] = [
        // The glob: `*` spans spaces; no star means the whole text.
        row("Bash(npm install -g *)", "npm install -g typescript", true),
        row("Bash(npm install -g *)", "npm install -g typescript eslint --save", true),
        row("Bash(npm install -g *)", "npm install -D typescript", false),
        row("Bash(npm run build)", "npm run build", true),
        row("Bash(npm run build)", "npm run build --watch", false),
        row("Bash(npm run build)", "npm run buil", false),
        row("Bash(pip *)", "pip install a b c", true),
        row("Bash(git * main)", "git push origin main", true),
        row("Bash(git * main)", "git push origin dev", false),
        row("Bash(NPM install *)", "npm install x", false),  // case-sensitive

        // Word boundary: ` *` at the end needs a space or the end; decided: the prefix alone matches too.
        row("Bash(ls *)", "ls -la", true),
        row("Bash(ls *)", "lsof", false),
        row("Bash(ls *)", "ls", true),
        row("Bash(ls*)", "lsof", true),
        row("Bash(npm install -g *)", "npm install -gx", false),
        row("Bash(npm install -g *)", "npm install -g", true),
        row("Bash(* install)", "npm install", true),
        row("Bash(* install)", "install", true),
        row("Bash(* install)", "npm install x", false),
        row("Bash(git * main)", "git main", true),

        // `:*` only at the end, where it is ` *`.
        row("Bash(npm install -g:*)", "npm install -g typescript", true),
        row("Bash(npm install -g:*)", "npm install -g", true),
        row("Bash(npm install -g:*)", "npm install -gx", false),
        row("Bash(git:* push)", "git push", false),
        row("Bash(git:* push)", "git:x push", true),

        // Bare tool, match-all, other tools.
        row("Bash", "rm -rf /", true),
        row("Bash(*)", "anything at all", true),
        row("Read(./.env)", "cat .env", false),
        row("WebFetch", "curl example.com", false),

        // Leading assignments are stripped.
        row("Bash(go install *)", "GOBIN=$PWD/bin go install ./cmd/gen", true),
        row("Bash(pip install --user *)", "PIP_INDEX_URL=https://x A=1 pip install --user requests", true),
        row("Bash(pip install --user *)", "FOO=\"a b\" pip install --user requests", true),

        // Wrappers Claude strips, with their options, and nested.
        row("Bash(npm install -g *)", "timeout 30 npm install -g x", true),
        row("Bash(npm install -g *)", "timeout -s KILL -k 5 30 npm install -g x", true),
        row("Bash(npm install -g *)", "time npm install -g x", true),
        row("Bash(npm install -g *)", "nice -n 10 npm install -g x", true),
        row("Bash(npm install -g *)", "nohup npm install -g x", true),
        row("Bash(npm install -g *)", "stdbuf -oL npm install -g x", true),
        row("Bash(npm install -g *)", "command npm install -g x", true),
        row("Bash(npm install -g *)", "builtin npm install -g x", true),
        row("Bash(npm install -g *)", "noglob npm install -g x", true),
        row("Bash(npm install -g *)", "echo x | xargs npm install -g", true),
        row("Bash(npm install -g *)", "xargs -n 1 npm install -g < list", true),
        row("Bash(npm install -g *)", "env FOO=1 npm install -g x", true),
        row("Bash(npm install -g *)", "env -u HOME -i npm install -g x", true),
        row("Bash(npm install -g *)", "sudo npm install -g x", true),
        row("Bash(npm install -g *)", "sudo -u root -E npm install -g x", true),
        row("Bash(npm install -g *)", "/usr/bin/sudo npm install -g x", true),
        row("Bash(npm install -g *)", "watch -n 5 npm install -g x", true),
        row("Bash(npm install -g *)", "setsid npm install -g x", true),
        row("Bash(npm install -g *)", "sudo env A=1 timeout 5 nice npm install -g x", true),
        row("Bash(npm install -g *)", "sudo -- npm install -g x", true),
        row("Bash(npm install -g *)", "env -S 'npm install -g x'", true),
        row("Bash(npm install -g *)", "sudo ls npm install -g x", false),  // `npm` is ls's argument

        // Compound commands: each subcommand on its own.
        row("Bash(npm install -g *)", "cd /tmp && npm install -g x", true),
        row("Bash(npm install -g *)", "npm test; npm install -g x", true),
        row("Bash(npm install -g *)", "false || npm install -g x", true),
        row("Bash(npm install -g *)", "echo y | npm install -g x", true),
        row("Bash(npm install -g *)", "make |& npm install -g x", true),
        row("Bash(npm install -g *)", "npm install -g x & wait", true),
        row("Bash(npm install -g *)", "echo start\nnpm install -g x", true),
        row("Bash(npm install -g *)", "(npm install -g x)", true),
        row("Bash(npm install -g *)", "{ npm install -g x; }", true),
        row("Bash(npm install -g *)", "if true; then npm install -g x; fi", true),
        row("Bash(npm install -g *)", "for p in a b; do npm install -g $p; done", true),
        row("Bash(npm install -g *)", "echo $(npm install -g x)", true),
        row("Bash(npm install -g *)", "echo \"$(npm install -g x)\"", true),
        row("Bash(npm install -g *)", "echo `npm install -g x`", true),
        row("Bash(npm install -g *)", "diff <(npm install -g x) b", true),
        row("Bash(npm install -g *)", "bash -c 'npm install -g x'", true),
        row("Bash(npm install -g *)", "sh -lc \"cd /; npm install -g x\"", true),
        row("Bash(npm install -g *)", "eval npm install -g x", true),
        row("Bash(cd * && npm ci)", "cd /tmp && npm ci", true),  // the whole line is tried too

        // Quotes, spacing and redirections.
        row("Bash(npm install -g *)", "npm \"install\" '-g' x", true),
        row("Bash(npm install -g *)", "npm  install\t-g   x", true),
        row("Bash(npm install -g *)", "npm install -g x 2>&1 | tee log", true),
        row("Bash(npm run test)", "npm run test 2>&1", true),
        row("Bash(npm run test)", "npm run test > out.txt", true),
        row("Bash(npm run test)", "npm run test >out.txt", true),
        row("Bash(npm install -g *)", "2>/dev/null npm install -g x", true),
        row("Bash(npm install -g *)", "npm install -g x # global on purpose", true),
        row("Bash(npm install -g *)", "npm \\\n  install -g x", true),

        // What stays data: quoted text, other programs' arguments, redirection `&`.
        row("Bash(npm install -g *)", "echo 'npm install -g x'", false),
        row("Bash(npm install -g *)", "git commit -m \"npm install -g x\"", false),
        row("Bash(npm install -g *)", "grep 'npm install -g' README.md", false),
        row("Bash(npm install -g *)", "npm install -D x 2>&1", false),
        row("Bash(npm install -g *)", "# npm install -g x", false),
        row("Bash(1*)", "pip list 2>&1", false),
        row("Bash(>*)", "pip list &>log", false),
        row("Bash(pip install --user *)", ".venv/bin/pip install --user --no-user requests", false),
        row("Bash(pip install *)", "pip --python .venv install requests", false),
    ]

    @Test("pattern table", arguments: rows)
    func table(_ row: Row) throws {
        let rule = try #require(PermissionRule(row.rule))
        #expect(
            rule.matches(bashCommand: row.command) == row.matches,
            "candidates: \(PermissionRule.matchCandidates(for: row.command))")
    }

    @Test(
        "rule syntax: tool and specifier",
        arguments: [
            ("Bash", "Bash", nil),
            ("Bash(npm install -g *)", "Bash", "npm install -g *"),
            ("Bash(echo (x))", "Bash", "echo (x)"),
            ("mcp__github__create_issue", "mcp__github__create_issue", nil),
        ] as [(String, String, String?)])
    func parsing(_ text: String, _ tool: String, _ specifier: String?) throws {
        let rule = try #require(PermissionRule(text))
        #expect(rule.tool == tool)
        #expect(rule.specifier == specifier)
        #expect(rule.description == text)
    }

    @Test("malformed rules are rejected", arguments: ["", "(x)", "Bash(x", "Bash x", "Bash(x)y"])
    func malformed(_ text: String) {
        #expect(PermissionRule(text) == nil)
    }

    @Test("the matching subcommand is reported")
    func reportsCandidate() throws {
        let rule = try #require(PermissionRule("Bash(npm install -g *)"))
        #expect(rule.matchingCandidate(inBashCommand: "cd /x && sudo npm install -g tsc") == "npm install -g tsc")
        #expect(rule.matchingCandidate(inBashCommand: "npm ci") == nil)
    }

    @Test("deeply nested or unterminated input neither crashes nor hangs")
    func robustness() throws {
        let rule = try #require(PermissionRule("Bash(npm install -g *)"))
        func nested(_ depth: Int) -> String {
            String(repeating: "echo $(", count: depth) + "npm install -g x" + String(repeating: ")", count: depth)
        }
        #expect(rule.matches(bashCommand: nested(5)) == true)
        _ = rule.matches(bashCommand: nested(300))  // beyond the depth limit: read as far as it goes
        #expect(rule.matches(bashCommand: "$(echo $(npm install -g x)") == true)
        #expect(rule.matches(bashCommand: "echo 'unterminated && npm install -g x") == false)
        #expect(rule.matches(bashCommand: "npm install -g x; echo \"unterminated") == true)
        let long = String(repeating: "a ", count: 20_000) + "| npm install -g x"
        #expect(rule.matches(bashCommand: long) == true)
    }
}
