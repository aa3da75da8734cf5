// swift-tools-version:6.1
// SPDX-License-Identifier: AGPL-3.0-or-later
import PackageDescription

// One feature set for every Swift target, as in Hummingbird's Package.swift.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "quire",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "quire", targets: ["QuireCLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        // PostgreSQL backend of the queue, the file catalog and the wake-ups (issue #13).
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        // No default traits: swift-configuration is not needed and costs build time.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.30.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        // /metrics: Hummingbird and Quire record through swift-metrics; Prometheus' registry prints it.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
    ],
    targets: [
        // MARK: - C shims
        .target(
            name: "CMuPDF",
            // Debian's mupdf.pc is stale (it names 1.19 and hides the libraries MuPDF needs under
            // Libs.private), so the link line is spelled out; see docs/engines.md.
            // Optimized in debug builds too: its loops touch every pixel of images up to 200
            // megapixels, and the tests (schemathesis's 60 s request timeout) run a debug build.
            cSettings: [.unsafeFlags(["-O2"])],
            linkerSettings: [
                .linkedLibrary("mupdf"), .linkedLibrary("mupdf-third"),
                .linkedLibrary("freetype"), .linkedLibrary(":libharfbuzz.so.0"),
                .linkedLibrary(":libjbig2dec.so.0"), .linkedLibrary(":libopenjp2.so.7"),
                .linkedLibrary("jpeg"), .linkedLibrary(":libgumbo.so.1"),
                .linkedLibrary(":libmujs.so.2"), .linkedLibrary("z"), .linkedLibrary("m"), .linkedLibrary("webp"),
                .linkedLibrary("deflate"), .linkedLibrary("tiff"),
                .linkedLibrary("pthread"),
            ]
        ),

        // qpdf's C API catches its C++ exceptions itself: a plain system library (docs/engines.md).
        .systemLibrary(name: "CQPDF", pkgConfig: "libqpdf"),
        .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter"),
        // Barcodes: zint writes them (a C library), zxing-cpp 1.4 reads them (C++ only, so a
        // small C++ shim gives Swift C functions); docs/engines.md.
        .systemLibrary(name: "CZint"),
        .target(name: "CZXing", linkerSettings: [.linkedLibrary("ZXing")]),
        // OCR: Tesseract's C API (capi.h) needs no shim of ours (docs/engines.md).
        .systemLibrary(name: "CTesseract"),

        // E-mail: GMime 3 parses MIME (.eml), libgsf opens the OLE2 container of Outlook .msg; CMail
        // reads both into plain C structs (docs/engines.md). The two system modules carry their
        // pkg-config flags to it.
        .systemLibrary(name: "CGMime", pkgConfig: "gmime-3.0"),
        .systemLibrary(name: "CGsf", pkgConfig: "libgsf-1"),
        .target(name: "CMail", dependencies: ["CGMime", "CGsf"]),

        // LibreOfficeKit is header-only: lok_init_2 dlopens LibreOffice at run time (docs/engines.md).
        .target(name: "CLibreOfficeKit", linkerSettings: [.linkedLibrary("dl")]),

        // MARK: - Layers
        .target(name: "QuireCore", swiftSettings: swiftSettings),
        .target(
            name: "QuireStorage",
            dependencies: [
                "QuireCore",
                // The S3 object store talks HTTP with it (S3/).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuireJobs",
            dependencies: [
                "QuireCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuireEngines",
            dependencies: [
                "QuireCore", "CMuPDF", "CQPDF", "CLibreOfficeKit", "CXLSXWriter", "CZint", "CZXing", "CTesseract", "CMail",
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "QuireWorker",
            dependencies: [
                "QuireCore", "QuireJobs", "QuireStorage", "QuireEngines",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // Conversions the worker does itself may hash files (/file/hash).
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuireAPI",
            dependencies: [
                "QuireCore", "QuireJobs", "QuireStorage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuireApp",
            dependencies: [
                "QuireCore", "QuireAPI", "QuireJobs", "QuireStorage", "QuireWorker", "QuireEngines",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "QuireCLI",
            dependencies: [
                "QuireApp", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Tests
        // Test helpers spawn processes with QuireWorker's ChildProcess (Foundation's Process can hang in waitUntilExit).
        // PostgresNIO: the throwaway PostgreSQL cluster hands each test its own database.
        .target(
            name: "QuireTestSupport",
            dependencies: [
                "QuireCore", "QuireJobs", "QuireStorage", "QuireWorker", .product(name: "PostgresNIO", package: "postgres-nio"),
                // MailFixtures writes Outlook .msg files with libgsf's OLE2 writer.
                "CMailFixtures",
            ],
            path: "Tests/QuireTestSupport"),
        .target(name: "CMailFixtures", dependencies: ["CGsf"], path: "Tests/CMailFixtures"),
        .testTarget(name: "QuireCoreTests", dependencies: ["QuireCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "QuireStorageTests",
            dependencies: [
                "QuireStorage", "QuireJobs", "QuireTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ], swiftSettings: swiftSettings),
        .testTarget(
            name: "QuireJobsTests",
            dependencies: [
                "QuireJobs", "QuireTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ], swiftSettings: swiftSettings),
        .testTarget(name: "QuireEnginesTests", dependencies: ["QuireEngines", "QuireTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "QuireAPITests",
            // Router tests run the real router in process over the memory queue and catalog.
            dependencies: [
                "QuireAPI", "QuireJobs", "QuireStorage", "QuireTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuireWorkerTests",
            dependencies: ["QuireWorker", "QuireTestSupport", .product(name: "Logging", package: "swift-log")], swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuireSystemTests",
            // GRDB: one test rewrites leases in the stopped server's database, as another worker would hold them.
            dependencies: ["QuireCLI", "QuireTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
    ],
    cxxLanguageStandard: .cxx17
)
