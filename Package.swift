// swift-tools-version:6.1
import PackageDescription

// Zero package dependencies, on purpose: a supply-chain guard must not be a supply-chain risk.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
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
        .target(name: "GuardKit", swiftSettings: strictSettings),
        .target(name: "Ecosystems", dependencies: ["GuardKit"], swiftSettings: strictSettings),
        .executableTarget(
            name: "toolguard", dependencies: ["GuardKit", "Ecosystems"], swiftSettings: strictSettings),
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
