// swift-tools-version: 6.1
import PackageDescription

/// Settings every target shares: Swift 6 language mode with strict concurrency.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "Interlink",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rescale-int", targets: ["rescale-int"]),
        .executable(name: "rescale-sim", targets: ["rescale-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        // Without Hummingbird's default `ConfigurationSupport` trait: nothing here reads swift-configuration, and
        // leaving it out keeps its 58 files out of every build.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "InterlinkCrypto",
            dependencies: ["CLibcrypto"],
            swiftSettings: strict
        ),
        .target(
            name: "InterlinkCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                "InterlinkCrypto",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "InterlinkSystem",
            dependencies: ["InterlinkCore", "CSystemCodecs"],
            swiftSettings: strict
        ),
        .target(name: "CSystemCodecs"),
        // C helpers of the tests alone (a seccomp filter that refuses io_uring on one thread).
        .target(name: "CTestSupport"),
        .systemLibrary(name: "CLibcrypto", path: "Sources/CLibcrypto"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        .target(
            name: "InterlinkHTTP",
            dependencies: [
                "CCurl",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "InterlinkTransfer",
            dependencies: [
                "InterlinkCore",
                "InterlinkSystem",
                "CSystemCodecs",
                "CLibcrypto",
                "InterlinkCrypto",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "InterlinkEngine",
            dependencies: [
                "InterlinkCore",
                "InterlinkSystem",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "LocalCloud",
            dependencies: [
                "CSystemCodecs",
                "InterlinkCore",
                "InterlinkSystem",
                "InterlinkTransfer",
                "InterlinkCrypto",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "LocalPlatform",
            dependencies: [
                "InterlinkCore",
                "InterlinkSystem",
                "LocalCloud",
                "InterlinkTransfer",
                "InterlinkCrypto",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SlurmPlatform",
            dependencies: [
                "InterlinkCore",
                "InterlinkSystem",
                "InterlinkTransfer",
                "LocalCloud",
                "InterlinkCrypto",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "InterlinkStorage",
            dependencies: [
                "CSystemCodecs",
                "InterlinkHTTP",
                "InterlinkCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RescaleSim",
            dependencies: [
                "CSystemCodecs",
                "InterlinkCore",
                "InterlinkSystem",
                "InterlinkTransfer",
                "InterlinkStorage",
                "LocalCloud",
                "InterlinkHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                "InterlinkCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "rescale-sim",
            dependencies: [
                "RescaleSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RescaleAPI",
            dependencies: [
                "InterlinkCore",
                "InterlinkSystem",
                "InterlinkHTTP",
                "InterlinkCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RescalePlatform",
            dependencies: [
                "InterlinkCore",
                "InterlinkSystem",
                "InterlinkStorage",
                "InterlinkTransfer",
                "RescaleAPI",
                "InterlinkHTTP",
                "InterlinkCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "InterlinkWeb",
            dependencies: [
                "InterlinkCore",
                "InterlinkSystem",
                "InterlinkEngine",
                "RescaleAPI",
                "RescalePlatform",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        .target(
            name: "InterlinkCLI",
            dependencies: [
                "InterlinkCore",
                "InterlinkSystem",
                "RescaleAPI",
                "InterlinkHTTP",
                "InterlinkEngine",
                "LocalCloud",
                "LocalPlatform",
                "RescalePlatform",
                "InterlinkWeb",
                "SlurmPlatform",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "rescale-int",
            dependencies: ["InterlinkCLI", "CSystemCodecs"],
            swiftSettings: strict
        ),
        .target(
            name: "InterlinkTestSupport",
            dependencies: [
                "InterlinkCore",
                "InterlinkCrypto",
                "InterlinkSystem",
                "InterlinkTransfer",
                "RescaleAPI",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InterlinkCryptoTests",
            dependencies: ["InterlinkCrypto"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InterlinkCoreTests",
            dependencies: ["InterlinkCore", "InterlinkTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InterlinkCLITests",
            dependencies: [
                "InterlinkCLI", "InterlinkCore", "InterlinkSystem", "RescaleAPI", "InterlinkEngine",
                "InterlinkTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InterlinkEngineTests",
            dependencies: [
                "InterlinkCore",
                "InterlinkEngine",
                "InterlinkHTTP",
                "InterlinkTestSupport",
                "RescaleAPI",
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InterlinkStorageTests",
            dependencies: [
                "CSystemCodecs",
                "InterlinkStorage",
                "InterlinkTestSupport",
                "RescaleSim",
                "InterlinkHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RescaleSimTests",
            dependencies: [
                "RescaleSim",
                "InterlinkCore",
                "InterlinkStorage",
                "InterlinkTestSupport",
                "InterlinkTransfer",
                "InterlinkHTTP",
                "InterlinkCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RescaleAPITests",
            dependencies: [
                "InterlinkCore",
                "InterlinkTestSupport",
                "RescaleAPI",
                "InterlinkHTTP",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RescalePlatformTests",
            dependencies: [
                "InterlinkCore",
                "InterlinkSystem",
                "InterlinkStorage",
                "InterlinkTestSupport",
                "InterlinkTransfer",
                "RescaleAPI",
                "RescalePlatform",
                "RescaleSim",
                "InterlinkHTTP",
                "InterlinkCrypto",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InterlinkHTTPTests",
            dependencies: [
                "InterlinkHTTP",
                "InterlinkTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InterlinkSystemTests",
            dependencies: ["InterlinkCore", "InterlinkSystem", "CSystemCodecs", "CTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InterlinkTransferTests",
            dependencies: [
                "InterlinkCore", "InterlinkSystem", "InterlinkTransfer", "InterlinkTestSupport",
                "InterlinkCrypto",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InterlinkWebTests",
            dependencies: [
                "InterlinkWeb",
                "InterlinkSystem",
                "InterlinkTestSupport",
                "RescaleAPI",
                "RescalePlatform",
                "RescaleSim",
                "InterlinkHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SlurmPlatformTests",
            dependencies: [
                "InterlinkCore",
                "InterlinkSystem",
                "InterlinkTestSupport",
                "SlurmPlatform",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LocalPlatformTests",
            dependencies: [
                "InterlinkCore",
                "InterlinkSystem",
                "InterlinkTransfer",
                "InterlinkEngine",
                "InterlinkTestSupport",
                "LocalCloud",
                "LocalPlatform",
                "InterlinkCrypto",
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)

/// The benchmarks' executables, under `bench/`.
///
/// Left out when `INTERLINK_SKIP_BENCHES` is set: `scripts/test` (and so CI) builds only what the suite runs, which
/// keeps a clean-clone CI run inside its time; the bench scripts build them by product as usual.
let benchTargets: [Target] = [
    .executableTarget(
        name: "transfer-bench",
        dependencies: [
            "InterlinkCore", "InterlinkSystem", "InterlinkTransfer",
            "InterlinkCrypto",
        ],
        path: "bench/transfer/Sources",
        swiftSettings: strict
    ),
    .executableTarget(
        name: "storage-bench",
        dependencies: [
            "CSystemCodecs",
            "InterlinkStorage",
            "InterlinkHTTP",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
        ],
        path: "bench/storage/Sources",
        swiftSettings: strict
    ),
    .executableTarget(
        name: "plan-bench",
        dependencies: ["InterlinkCore", "InterlinkSystem"],
        path: "bench/plan/Sources",
        swiftSettings: strict
    ),
    .executableTarget(
        name: "journal-replay-bench",
        dependencies: ["InterlinkCore", "InterlinkEngine"],
        path: "bench/JournalReplay",
        swiftSettings: strict
    ),
    .executableTarget(
        name: "rescale-bench",
        dependencies: [
            "InterlinkCore",
            "InterlinkTestSupport",
            "RescaleAPI",
            "RescaleSim",
            "InterlinkHTTP",
            .product(name: "Logging", package: "swift-log"),
        ],
        path: "bench/rescale/Sources",
        swiftSettings: strict
    ),
]

if Context.environment["INTERLINK_SKIP_BENCHES"] == nil {
    package.targets += benchTargets
}
