// swift-tools-version: 6.1
import PackageDescription

/// Settings every target shares: Swift 6 language mode with strict concurrency.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Interlink",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rescale-int", targets: ["rescale-int"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "InterlinkCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "InterlinkSystem",
            dependencies: ["InterlinkCore"],
            swiftSettings: strict
        ),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd"),
        .target(
            name: "InterlinkTransfer",
            dependencies: [
                "InterlinkCore",
                "InterlinkSystem",
                "CZlib",
                "CZstd",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "transfer-bench",
            dependencies: ["InterlinkCore", "InterlinkSystem", "InterlinkTransfer", .product(name: "Crypto", package: "swift-crypto")],
            path: "bench/transfer/Sources",
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
            name: "InterlinkCLI",
            dependencies: [
                "InterlinkCore",
                "InterlinkSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "rescale-int",
            dependencies: ["InterlinkCLI"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "journal-replay-bench",
            dependencies: ["InterlinkEngine"],
            path: "bench/JournalReplay",
            swiftSettings: strict
        ),
        .target(
            name: "InterlinkTestSupport",
            dependencies: ["InterlinkCore", "InterlinkEngine"],
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
            dependencies: ["InterlinkCLI", "InterlinkCore", "InterlinkSystem"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InterlinkEngineTests",
            dependencies: [
                "InterlinkCore",
                "InterlinkEngine",
                "InterlinkTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InterlinkSystemTests",
            dependencies: ["InterlinkCore", "InterlinkSystem"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InterlinkTransferTests",
            dependencies: ["InterlinkCore", "InterlinkSystem", "InterlinkTransfer", "InterlinkTestSupport"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
