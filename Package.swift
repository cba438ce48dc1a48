// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "proforma",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "proforma", targets: ["proforma"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C libraries from the system, through pkg-config. Only their wrappers import them.
        .systemLibrary(
            name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(
            name: "CGit2", path: "Sources/CGit2", pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),

        // Vocabulary shared by every layer: exact decimals, periods, diagnostics, file trees.
        .target(name: "ProformaCore"),
        // The wrappers: the only importers of the C modules.
        .target(name: "ProformaYAML", dependencies: ["CYAML"]),
        .target(name: "ProformaGit", dependencies: ["CGit2", "ProformaCore"]),
        // Configuration: model, loading, validation, schemas.
        .target(name: "ProformaModel", dependencies: ["ProformaCore"]),
        .target(name: "ProformaLoader", dependencies: ["ProformaCore", "ProformaYAML", "ProformaModel"]),
        .target(name: "ProformaValidation", dependencies: ["ProformaCore", "ProformaModel", "ProformaLoader"]),
        .target(name: "ProformaSchema", dependencies: ["ProformaCore", "ProformaModel"]),
        // The organization: AWS Organizations outputs read into accounts.yaml.
        .target(name: "ProformaOrganizations", dependencies: ["ProformaCore", "ProformaModel", "ProformaLoader"]),
        // Planning: canonical resources, semantic diffs, saved plans.
        .target(name: "ProformaPlan", dependencies: ["ProformaCore", "ProformaModel"]),
        // Applied state: which configuration priced which billing period, from which commit (SQLite through GRDB).
        .target(
            name: "ProformaState",
            dependencies: [
                "ProformaCore", "ProformaModel", "ProformaLoader", "ProformaPlan",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        // Usage data.
        .target(name: "ProformaUsage", dependencies: ["ProformaCore", "CZlib"]),
        // Usage digests: the data aggregated over every priced key, in SQLite through GRDB.
        .target(
            name: "ProformaDigest",
            dependencies: ["ProformaCore", "ProformaUsage", .product(name: "GRDB", package: "GRDB.swift")]),
        // The pricing engine: usage data priced by a configuration.
        .target(name: "ProformaEngine", dependencies: ["ProformaCore", "ProformaModel", "ProformaUsage"]),
        // Pricing compiled to SQL (Athena/Trino, DuckDB, PostgreSQL), to price usage where it is kept.
        .target(
            name: "ProformaSQL", dependencies: ["ProformaCore", "ProformaModel", "ProformaUsage", "ProformaEngine"]),
        // Rendering: pure functions from results to text.
        .target(name: "ProformaReport", dependencies: ["ProformaCore", "ProformaModel", "ProformaPlan", "ProformaEngine"]),
        // The work every command shares: finding, loading, validating and refusing configurations, reading usage,
        // pricing, provenance. Commands call it and render what it returns.
        .target(
            name: "ProformaFrontend",
            dependencies: [
                "ProformaCore", "ProformaGit", "ProformaLoader", "ProformaModel", "ProformaValidation", "ProformaPlan",
                "ProformaUsage", "ProformaEngine", "ProformaReport", "ProformaState", "ProformaDigest",
            ]),
        // The command line: the only importer of ArgumentParser.
        .executableTarget(
            name: "proforma",
            dependencies: [
                "ProformaCore", "ProformaYAML", "ProformaModel", "ProformaLoader", "ProformaValidation",
                "ProformaSchema", "ProformaReport", "ProformaGit", "ProformaUsage", "ProformaPlan", "ProformaEngine",
                "ProformaFrontend", "ProformaState", "ProformaOrganizations", "ProformaSQL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // A benchmark driver: generates quota-sized inputs and measures the commands.
        .executableTarget(
            name: "proforma-bench",
            dependencies: [
                "ProformaCore", "ProformaModel", "ProformaLoader", "ProformaValidation", "ProformaGit", "ProformaState",
                "CZlib",
            ]),
        // Fuzz targets for libFuzzer (the configuration loader and the usage reader); a replay tool otherwise.
        .executableTarget(
            name: "proforma-fuzz",
            dependencies: ["ProformaCore", "ProformaLoader", "ProformaValidation", "ProformaUsage"]),

        .target(name: "ProformaTestSupport", dependencies: ["ProformaCore"], path: "Tests/ProformaTestSupport"),
        .testTarget(name: "ProformaCoreTests", dependencies: ["ProformaCore", "ProformaTestSupport"]),
        .testTarget(name: "ProformaYAMLTests", dependencies: ["ProformaYAML", "ProformaTestSupport"]),
        .testTarget(name: "ProformaGitTests", dependencies: ["ProformaGit", "ProformaTestSupport"]),
        .testTarget(
            name: "ProformaLoaderTests",
            dependencies: ["ProformaLoader", "ProformaModel", "ProformaYAML", "ProformaTestSupport"]),
        .testTarget(
            name: "ProformaValidationTests",
            dependencies: [
                "ProformaValidation", "ProformaLoader", "ProformaModel", "ProformaReport", "ProformaGit",
                "ProformaTestSupport",
            ]),
        .testTarget(
            name: "ProformaSchemaTests",
            dependencies: ["ProformaSchema", "ProformaModel", "ProformaTestSupport"]),
        .testTarget(
            name: "ProformaPlanTests",
            dependencies: ["ProformaPlan", "ProformaLoader", "ProformaModel", "ProformaTestSupport"]),
        .testTarget(
            name: "ProformaEngineTests",
            dependencies: ["ProformaEngine", "ProformaUsage", "ProformaLoader", "ProformaModel", "ProformaTestSupport"]),
        .testTarget(
            name: "ProformaStateTests",
            dependencies: [
                "ProformaState", "ProformaPlan", "ProformaLoader", "ProformaModel", "ProformaGit", "ProformaCore",
                "ProformaTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(name: "ProformaUsageTests", dependencies: ["ProformaUsage", "ProformaTestSupport"]),
        .testTarget(
            name: "ProformaReportTests",
            dependencies: ["ProformaReport", "ProformaLoader", "ProformaUsage", "ProformaTestSupport"],
            exclude: ["Golden"]),
        .testTarget(
            name: "ProformaFrontendTests",
            dependencies: [
                "ProformaFrontend", "ProformaCore", "ProformaEngine", "ProformaReport", "ProformaUsage",
                "ProformaDigest", "ProformaModel", "ProformaTestSupport",
            ]),
        .testTarget(
            name: "ProformaSQLTests",
            dependencies: [
                "ProformaSQL", "ProformaFrontend", "ProformaCore", "ProformaEngine", "ProformaModel", "ProformaUsage",
                "ProformaTestSupport",
            ],
            exclude: ["Harness"]),
        .testTarget(
            name: "ProformaOrganizationsTests",
            dependencies: [
                "ProformaOrganizations", "ProformaLoader", "ProformaValidation", "ProformaModel", "ProformaCore",
                "ProformaPlan", "ProformaTestSupport",
            ]),
        .testTarget(name: "EndToEndTests", dependencies: ["ProformaCore", "ProformaYAML", "ProformaTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
