import GuardKit
import Testing

/// A nopt tool's settings read in layers: command line, then `prefix_*` variables, then files.
@Suite("Layered settings") struct LayeredSettingsTests {
    static func argument(_ text: String, dynamic: Bool = false) -> Argument {
        Argument(text, isDynamic: dynamic, span: 0..<1)
    }

    static func settings(
        _ commandLine: [String: NoptDefinitions.Value] = [:], environment: [String: String] = [:],
        files: [(String, [String: String])] = []
    ) -> LayeredSettings {
        var settings = LayeredSettings(
            commandLine: commandLine, environment: Environment(environment), environmentPrefix: "tool_config_")
        settings.files = files.map { LayeredSettings.File(path: $0.0, values: $0.1.mapValues { Value($0) }) }
        return settings
    }

    @Test func theCommandLineWinsOverTheEnvironmentAndFiles() {
        let settings = Self.settings(
            ["global": .flag(false)], environment: ["TOOL_CONFIG_GLOBAL": "true"],
            files: [("/p/.rc", ["global": "true"])])
        #expect(settings.flagAndSource("global") == (false, .commandLine))
    }

    @Test func theEnvironmentIsReadInAnyCaseWithUnderscoresForDashes() {
        let settings = Self.settings(environment: ["Tool_Config_Dry_Run": "1"])
        #expect(settings.flagAndSource("dry-run") == (true, .environment))
    }

    @Test func anEmptyVariableIsNotSetAndTheFirstFileDecides() {
        let settings = Self.settings(
            environment: ["tool_config_global": ""],
            files: [("/p/.rc", ["global": "false"]), ("/h/.rc", ["global": "true"])])
        #expect(settings.flagAndSource("global") == (false, .file("/p/.rc")))
    }

    @Test(arguments: ["false", "null", "undefined", ""]) func falseTexts(text: String) {
        #expect(Self.settings(files: [("/h/.rc", ["global": text])]).flag("global") == false)
    }

    @Test func anyOtherTextIsTruthy() {
        #expect(Self.settings(files: [("/h/.rc", ["global": "no"])]).flag("global") == true)
    }

    @Test func aValueOnlyKnownWhenTheLineRunsIsUnknown() {
        let settings = LayeredSettings(
            commandLine: ["location": .text(Self.argument("$L", dynamic: true))], environment: Environment([:]),
            environmentPrefix: "tool_config_")
        #expect(settings.isText("location", "global").value == nil)
        #expect(settings.commandLineText("location")?.text == "$L")
    }

    @Test func aTextComparesAsWritten() {
        #expect(
            Self.settings(environment: ["tool_config_location": "Global"]).isText("location", "global").value == false)
        #expect(Self.settings(["location": .text(Self.argument("global"))]).isText("location", "global").value == true)
        #expect(Self.settings(["location": .flag(true)]).isText("location", "global").value == false)
    }

    @Test func nothingSetIsOffByDefault() {
        #expect(Self.settings().flagAndSource("global") == (false, .environment))
    }
}
