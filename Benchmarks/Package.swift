// swift-tools-version:6.1
import PackageDescription

// The benchmark lives in its own package so that `swift build` / `swift test` of toolguard never build it.
// Run it with scripts/bench.sh.
let package = Package(
    name: "toolguard-bench",
    dependencies: [.package(name: "toolguard", path: "..")],
    targets: [
        .executableTarget(
            name: "toolguard-bench",
            dependencies: [
                .product(name: "GuardKit", package: "toolguard"), .product(name: "Ecosystems", package: "toolguard"),
            ])
    ],
    swiftLanguageModes: [.v6]
)
