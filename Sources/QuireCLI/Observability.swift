// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import Metrics
import Prometheus

/// How a node logs and counts: swift-log to standard error (plain text, or one JSON object a
/// line with `--log-format json`), swift-metrics into a Prometheus registry that `/metrics` shows.
enum Observability {
    /// Bootstraps both systems once per process; returns what `/metrics` prints.
    static func start(logFormat: LogFormat, level: Logger.Level) -> @Sendable () -> String {
        LoggingSystem.bootstrap { label in
            switch logFormat {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in (prometheusName(name), labels.map { (prometheusName($0.0), $0.1) }) }
        // Jobs run from milliseconds (a page of text) to minutes (OCR of a long scan).
        factory.durationHistogramBuckets["quire_job_attempt_duration_seconds"] = [
            .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300),
        ]
        MetricsSystem.bootstrap(factory)
        return { registry.emitToString() }
    }

    /// Hummingbird's names (`hb.requests`, `http.server.request.duration`) in Prometheus' alphabet,
    /// and Quire's own names for them.
    static func prometheusName(_ name: String) -> String {
        switch name {
        case "hb.requests": return "quire_http_requests_total"
        case "hb.request.errors": return "quire_http_request_errors_total"
        case "http.server.request.duration": return "quire_http_request_duration_seconds"
        case "http.server.active_requests": return "quire_http_active_requests"
        default: return String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        }
    }
}

enum LogFormat: String, CaseIterable {
    case text, json
}

/// One JSON object per line on standard error: `time` (ISO 8601), `level`, `label`, `message`,
/// `source`, and every metadata key (`job.id`, `hb.request.id`, `engine.host`…) as a string.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    private static let lock = NSLock()

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata { fields[key] = "\(value)" }
        for (key, value) in event.metadata ?? [:] { fields[key] = "\(value)" }
        fields["time"] = Date().formatted(.iso8601)
        fields["level"] = "\(event.level)"
        fields["label"] = label
        fields["message"] = "\(event.message)"
        fields["source"] = event.source
        guard var line = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return
        }
        line.append(0x0A)
        // One write per line, under a lock: lines of concurrent tasks never interleave.
        Self.lock.withLock { FileHandle.standardError.write(line) }
    }
}
