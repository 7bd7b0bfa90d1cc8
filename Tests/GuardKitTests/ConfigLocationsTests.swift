import GuardKit
import Testing

@Suite("Config and state locations")
struct ConfigLocationsTests {
    @Test("Defaults under HOME")
    func defaults() throws {
        let locations = try #require(Locations(environment: ["HOME": "/home/u/"], fallbackHome: nil))
        #expect(locations.home == "/home/u")
        #expect(locations.configDirectory == "/home/u/.config/toolguard")
        #expect(locations.userConfigFile == "/home/u/.config/toolguard/config.json")
        #expect(locations.pinManifest == "/home/u/.config/toolguard/pin.json")
        #expect(locations.stateDirectory == "/home/u/.local/state/toolguard")
        #expect(locations.trustStore == "/home/u/.local/state/toolguard/trusted.json")
        #expect(locations.claudeUserSettings == "/home/u/.claude/settings.json")
    }

    @Test("Absolute XDG directories and CLAUDE_CONFIG_DIR are used")
    func xdg() throws {
        let environment = [
            "HOME": "/home/u", "XDG_CONFIG_HOME": "/cfg//x/", "XDG_STATE_HOME": "/var/st", "CLAUDE_CONFIG_DIR": "/cc",
        ]
        let locations = try #require(Locations(environment: environment, fallbackHome: nil))
        #expect(locations.userConfigFile == "/cfg/x/toolguard/config.json")
        #expect(locations.pinManifest == "/cfg/x/toolguard/pin.json")
        #expect(locations.trustStore == "/var/st/toolguard/trusted.json")
        #expect(locations.claudeUserSettings == "/cc/settings.json")
    }

    @Test("Relative or empty XDG values are ignored, as the XDG spec says", arguments: ["", "relative", "./x", "~/x"])
    func relativeXDG(value: String) throws {
        let environment = ["HOME": "/home/u", "XDG_CONFIG_HOME": value, "XDG_STATE_HOME": value]
        let locations = try #require(Locations(environment: environment, fallbackHome: nil))
        #expect(locations.configDirectory == "/home/u/.config/toolguard")
        #expect(locations.stateDirectory == "/home/u/.local/state/toolguard")
    }

    @Test("Without an absolute HOME the fallback home is used; without either there are no locations")
    func home() {
        #expect(Locations(environment: ["HOME": "rel"], fallbackHome: "/pw/home")?.home == "/pw/home")
        #expect(Locations(environment: [:], fallbackHome: "/pw/home")?.configDirectory == "/pw/home/.config/toolguard")
        #expect(Locations(environment: [:], fallbackHome: nil) == nil)
    }

    @Test("Project files")
    func projectFiles() {
        #expect(Locations.repoFile(inProjectRoot: "/r/app/") == "/r/app/.toolguard.json")
        #expect(Locations.claudeProjectSettings(inProjectRoot: "/r/app") == "/r/app/.claude/settings.json")
        #expect(Locations.claudeLocalSettings(inProjectRoot: "/r/app") == "/r/app/.claude/settings.local.json")
    }
}
