/// `toolguard status`: the ecosystems in effect in a directory and why, and where each config file is.
public enum StatusReport {
    /// The report as text.
    public static func text(_ setup: GuardSetup, directory: String) -> String {
        let configuration = setup.configuration
        let sources = configuration.sources
        var lines = [
            "directory     \(directory)", "project root  \(setup.projectRoot ?? "(none: no .git or manifest above)")",
            "",
        ]
        lines.append("ecosystems")
        for ecosystem in sources.ecosystems {
            let state = ecosystem.enabled.value ? "on " : "off"
            var line = "  \(state)  \(ecosystem.id.padded(8))  \(ecosystem.enabled.origin)"
            if let ignored = ecosystem.enabled.ignoredRepoValue {
                line += " (the repo file's \(ignored ? "on" : "off") is ignored: \(sources.trust.rawValue))"
            }
            lines.append(line)
        }
        lines.append("")
        lines.append("fail mode          \(sources.failMode.value.rawValue)  (\(sources.failMode.origin))")
        lines.append(
            "tool installers    \(sources.allowsToolInstallers.value ? "allowed" : "blocked")  "
                + "(\(sources.allowsToolInstallers.origin))")
        lines.append("")
        lines.append(
            "user config   \(sources.userConfig ?? "(no home directory)")  [\(sources.userConfigStatus.rawValue)]")
        lines.append("repo file     \(sources.repoFile ?? "(no project root)")  [\(sources.repoFileStatus.rawValue)]")
        lines.append("trust         \(sources.trust.rawValue)\(sources.trustStore.map { "  (store: \($0))" } ?? "")")
        if let locations = setup.locations {
            lines.append("pin manifest  \(locations.pinManifest)")
        }
        for error in configuration.errors { lines.append(error.description) }
        for notice in configuration.notices { lines.append(notice) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as a stable, versioned JSON object (`"schema": 1`), for `toolguard status --json`.
    public static func json(_ setup: GuardSetup, directory: String) -> String {
        let configuration = setup.configuration
        let sources = configuration.sources
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        let ecosystems: [JSONValue] = sources.ecosystems.map { ecosystem in
            [
                "id": .string(ecosystem.id), "enabled": .bool(ecosystem.enabled.value),
                "origin": .string("\(ecosystem.enabled.origin)"),
            ]
        }
        let value: JSONValue = [
            "schema": 1, "directory": .string(directory), "projectRoot": optional(setup.projectRoot),
            "ecosystems": .array(ecosystems),
            "failMode": .string(sources.failMode.value.rawValue),
            "toolInstallers": .bool(sources.allowsToolInstallers.value),
            "userConfig": optional(sources.userConfig), "userConfigStatus": .string(sources.userConfigStatus.rawValue),
            "repoFile": optional(sources.repoFile), "repoFileStatus": .string(sources.repoFileStatus.rawValue),
            "trust": .string(sources.trust.rawValue), "pinManifest": optional(setup.locations?.pinManifest),
            "errors": .array(configuration.errors.map { .string($0.description) }),
            "notices": .array(configuration.notices.map(JSONValue.string)),
        ]
        return value.serialized(style: .pretty(indent: 2), trailingNewline: true)
    }
}
