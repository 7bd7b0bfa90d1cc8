import GuardKit
import Testing

/// `Paths.relative` writes the paths fixes put on a command line.
@Suite("Relative paths") struct PathsTests {
    @Test(arguments: [
        ("/repo/.tools", "/repo", "./.tools"),
        ("/repo", "/repo", "."),
        ("/repo/.tools", "/repo/src", "../.tools"),
        ("/repo/bin/app", "/repo/cmd/tool", "../../bin/app"),
        ("/repo", "/repo/src", ".."),
        ("/a/b", "/", "./a/b"),
        // Only `..` steps that stay below `/`: otherwise the absolute path reads better.
        ("/opt/tools", "/repo/src", "/opt/tools"),
    ])
    func relative(path: String, directory: String, expected: String) {
        #expect(Paths.relative(path, from: directory) == expected)
    }
}
