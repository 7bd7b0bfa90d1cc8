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

/// `Paths.normalize` and `Paths.absolute` resolve paths lexically, as `cd` does, without the file system.
@Suite("Normalized paths") struct NormalizedPathsTests {
    @Test(arguments: [
        ("/", "/"), ("//", "/"), ("/a/b", "/a/b"), ("/a//b/", "/a/b"), ("/a/./b/.", "/a/b"), ("/a/b/../c", "/a/c"),
        ("/a/../..", "/"), ("/../a", "/a"), ("a/b", "/a/b"), ("/a/.b/..c/...", "/a/.b/..c/..."), ("/é/ü/../ö", "/é/ö"),
    ])
    func normalize(path: String, expected: String) {
        #expect(Paths.normalize(path) == expected)
    }

    @Test(arguments: [
        ("src", "/repo", "/repo/src"), ("../x", "/repo/src", "/repo/x"), ("./a/./b", "/r", "/r/a/b"),
        ("/abs/../p", "/r", "/p"), ("a/", "/r", "/r/a"), ("..", "/", "/"), (".hidden", "/r", "/r/.hidden"),
    ])
    func absolute(path: String, directory: String, expected: String) {
        #expect(Paths.absolute(path, relativeTo: directory) == expected)
    }
}
