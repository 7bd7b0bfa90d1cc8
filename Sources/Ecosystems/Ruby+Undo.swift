public import GuardKit

// The command that undoes a global gem install or removal (SPEC §12), for `toolguard audit`:
// `gem uninstall rails`, with the version and the gem directory the install chose.

extension Ruby {
    /// The undo of a `gem install` or `gem uninstall`.
    public func undo(_ invocation: Invocation, finding: Finding, in context: JudgementContext) -> String? {
        guard invocation.program == "gem",
            let read = DescribedJudge(ecosystem: id, descriptions: [Self.gemDescription])
                .judge(invocation, in: context).command,
            read.path == ["install"] || read.path == ["uninstall"]
        else { return nil }
        let installs = read.path == ["install"]
        var gems: [String] = []
        for operand in read.parsed.operands {
            guard !operand.isDynamic, !operand.text.isEmpty, !operand.text.hasSuffix(".gem") else { return nil }
            // `rails:7.1.0` is a gem and its version.
            gems.append(String(operand.text.prefix { $0 != ":" }))
        }
        guard !gems.isEmpty else { return nil }
        var words = [invocation.arguments[0].text, installs ? "uninstall" : "install"]
        for option in read.parsed.found {
            switch option.name {
            case "--install-dir", "--bindir", "--version":
                guard let value = option.value, !value.isDynamic else { return nil }
                words += [option.name, value.text]
            case "--user-install":
                words.append(option.name)
            default:
                break
            }
        }
        return Quoting.command(words + gems)
    }
}
