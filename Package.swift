// swift-tools-version: 6.0
import PackageDescription

/// Hot-path targets: dynamic exclusivity checks cost ~15% of scan time in release builds
/// (measured with perf on the bench corpus); the code keeps its accesses statically checkable.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "faultline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "faultline", targets: ["faultline"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
        ),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .target(name: "FaultlineModel"),
        .target(name: "FaultlineRegex", dependencies: ["CPCRE2"], swiftSettings: hotPath),
        .target(name: "FaultlineIngest", dependencies: ["FaultlineModel", "CZlib"], swiftSettings: hotPath),
        .target(name: "FaultlineEvents", dependencies: ["FaultlineIngest", "FaultlineModel"], swiftSettings: hotPath),
        .target(
            name: "FaultlineRules",
            dependencies: ["FaultlineModel", "FaultlineRegex", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "FaultlineEngine",
            dependencies: [
                "FaultlineModel", "FaultlineRegex", "FaultlineIngest", "FaultlineEvents", "FaultlineRules",
                "FaultlineReport",
            ],
            swiftSettings: hotPath
        ),
        .target(name: "FaultlineReport", dependencies: ["FaultlineModel"]),
        .executableTarget(name: "EmbedRules"),
        .plugin(name: "EmbedRulesPlugin", capability: .buildTool(), dependencies: ["EmbedRules"]),
        .target(name: "FaultlineShippedRules", plugins: ["EmbedRulesPlugin"]),
        .executableTarget(
            name: "faultline",
            dependencies: [
                "FaultlineModel", "FaultlineIngest", "FaultlineEvents", "FaultlineRules", "FaultlineEngine",
                "FaultlineReport", "FaultlineShippedRules",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "FaultlineRegexTests", dependencies: ["FaultlineRegex"]),
        .testTarget(name: "FaultlineIngestTests", dependencies: ["FaultlineIngest"]),
        .testTarget(name: "FaultlineEventsTests", dependencies: ["FaultlineEvents", "FaultlineIngest"]),
        .testTarget(
            name: "FaultlineRulesTests",
            dependencies: ["FaultlineRules", "FaultlineEngine", "FaultlineShippedRules"]
        ),
        .testTarget(name: "FaultlineEngineTests", dependencies: ["FaultlineEngine", "FaultlineShippedRules"]),
        .testTarget(name: "FaultlineReportTests", dependencies: ["FaultlineReport"], exclude: ["Golden", "Schemas"]),
        .testTarget(
            name: "FaultlineCLITests",
            dependencies: [
                "faultline", "FaultlineEngine", "FaultlineIngest", "FaultlineModel", "FaultlineReport",
                "FaultlineRules", "FaultlineShippedRules",
            ]
        ),
    ]
)
