// swift-tools-version:6.1
import PackageDescription

// Zero package dependencies, on purpose: a supply-chain guard must not be a supply-chain risk.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// Release builds reach type metadata through direct accessor calls rather than by demangling type names at
// run time: the hook is a short-lived process, and the first use of each generic type (every table it builds
// at start-up) otherwise costs a demangle. Measured: about 0.3–0.5 ms of the hook's start-up (README, Speed).
let releaseSettings: [SwiftSetting] = [
    .unsafeFlags(
        ["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"], .when(configuration: .release))
]

let package = Package(
    name: "toolguard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "toolguard", targets: ["toolguard"]),
        .library(name: "GuardKit", targets: ["GuardKit"]),
        .library(name: "Ecosystems", targets: ["Ecosystems"]),
    ],
    targets: [
        .target(name: "GuardKit", swiftSettings: strictSettings + releaseSettings),
        .target(name: "Ecosystems", dependencies: ["GuardKit"], swiftSettings: strictSettings + releaseSettings),
        .executableTarget(
            name: "toolguard", dependencies: ["GuardKit", "Ecosystems"],
            swiftSettings: strictSettings + releaseSettings),
        .testTarget(name: "GuardKitTests", dependencies: ["GuardKit"], swiftSettings: strictSettings),
        .testTarget(
            name: "EcosystemsTests", dependencies: ["GuardKit", "Ecosystems"],
            resources: [], swiftSettings: strictSettings),
        .testTarget(
            name: "toolguardTests", dependencies: ["toolguard", "GuardKit", "Ecosystems"],
            swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
