// swift-tools-version: 6.0
import PackageDescription

/// Hot-path targets: dynamic exclusivity checks cost ~15% of scan time in release builds
/// (measured with perf on the bench corpus); the code keeps its accesses statically checkable.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

/// Start-up work (literal extraction from every rule pattern) is generic collection code that
/// runs several times slower unoptimised; the tests start the debug binary hundreds of times, so the
/// regex target is optimised in debug builds too (measured: see docs/architecture.md).
let optimisedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

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
        .target(name: "FaultlineText", swiftSettings: hotPath),
        .target(name: "FaultlineModel"),
        .target(
            name: "FaultlineRegex", dependencies: ["CPCRE2", "FaultlineText"], swiftSettings: hotPath + optimisedInDebug
        ),
        .target(
            name: "FaultlineIngest", dependencies: ["FaultlineModel", "FaultlineText", "CZlib"], swiftSettings: hotPath),
        .target(
            name: "FaultlineEvents", dependencies: ["FaultlineIngest", "FaultlineModel", "FaultlineText"],
            swiftSettings: hotPath),
        .target(
            name: "FaultlineRules",
            dependencies: [
                "FaultlineModel", "FaultlineText", "FaultlineRegex", .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "FaultlineEngine",
            dependencies: [
                "FaultlineModel", "FaultlineText", "FaultlineRegex", "FaultlineIngest", "FaultlineEvents",
                "FaultlineRules", "FaultlineReport",
            ],
            swiftSettings: hotPath
        ),
        .target(name: "FaultlineReport", dependencies: ["FaultlineModel", "FaultlineText"]),
        .executableTarget(name: "EmbedRules"),
        .plugin(name: "EmbedRulesPlugin", capability: .buildTool(), dependencies: ["EmbedRules"]),
        .target(name: "FaultlineShippedRules", plugins: ["EmbedRulesPlugin"]),
        .executableTarget(
            name: "faultline",
            dependencies: [
                "FaultlineModel", "FaultlineText", "FaultlineIngest", "FaultlineEvents", "FaultlineRules",
                "FaultlineEngine",
                "FaultlineReport", "FaultlineShippedRules",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "FaultlineTextTests", dependencies: ["FaultlineText"]),
        .testTarget(name: "FaultlineRegexTests", dependencies: ["FaultlineRegex"]),
        .testTarget(name: "FaultlineIngestTests", dependencies: ["FaultlineIngest", "FaultlineText"]),
        .testTarget(name: "FaultlineEventsTests", dependencies: ["FaultlineEvents", "FaultlineIngest"]),
        .testTarget(
            name: "FaultlineRulesTests",
            dependencies: ["FaultlineRules", "FaultlineEngine", "FaultlineText", "FaultlineShippedRules"]
        ),
        .testTarget(
            name: "FaultlineEngineTests", dependencies: ["FaultlineEngine", "FaultlineText", "FaultlineShippedRules"]
        ),
        .testTarget(
            name: "FaultlineReportTests", dependencies: ["FaultlineReport", "FaultlineText"],
            exclude: ["Golden", "Schemas"]),
        .testTarget(
            name: "FaultlineCLITests",
            dependencies: [
                "faultline", "FaultlineEngine", "FaultlineIngest", "FaultlineModel", "FaultlineReport",
                "FaultlineRules", "FaultlineShippedRules",
            ]
        ),
    ]
)
