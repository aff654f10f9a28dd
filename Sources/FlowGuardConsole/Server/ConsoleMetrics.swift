import CoreMetrics
import Hummingbird
import NIOCore
import Prometheus

/// The console's metrics for Prometheus (`GET /metrics`): its requests by route and status and their
/// duration, and the cluster as the console last saw it. The Kafka gauges come from the cached
/// metadata, so a scrape never waits on an unreachable cluster.
package final class ConsoleMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    package init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.factory = factory
    }

    /// One request answered. Series are looked up by the registry (the console's rate is a person's).
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        CoreMetrics.Counter(
            label: "flowguard_console_http_requests_total",
            dimensions: [("route", route), ("method", method), ("status", String(status))],
            factory: factory
        ).increment()
        CoreMetrics.Timer(
            label: "flowguard_console_http_request_duration_seconds",
            dimensions: [("route", route), ("method", method)],
            factory: factory
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// The Prometheus text, with the cluster's gauges set from `snapshot` first. Before the first
    /// metadata request only `flowguard_console_kafka_up` (0) is shown.
    package func exposition(snapshot: ClusterSnapshot?) -> ByteBuffer {
        registry.makeGauge(
            name: "flowguard_console_kafka_up", help: "1 when the latest metadata request was answered, 0 when it failed or none was made yet"
        ).set(Int64(snapshot.map { $0.staleReason == nil ? 1 : 0 } ?? 0))
        if let snapshot {
            registry.makeGauge(name: "flowguard_console_metadata_age_seconds", help: "age of the cluster metadata the pages show")
                .set(Double((ContinuousClock.now - snapshot.fetchedAt).nanoseconds) / 1e9)
            registry.makeGauge(name: "flowguard_console_brokers", help: "brokers in the metadata").set(Int64(snapshot.metadata.brokers.count))
            registry.makeGauge(name: "flowguard_console_brokers_reachable", help: "brokers that accepted a connection when the metadata was read")
                .set(Int64(snapshot.reachableBrokers.count))
        }
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return ByteBuffer(bytes: bytes)
    }
}

/// Times every request and counts it by route (the matched pattern, so that ids in paths do not
/// make new series) and final status; outermost, so errors are counted with the status they got.
struct ConsoleMetricsMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let metrics: ConsoleMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            metrics.recordRequest(
                route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: status,
                duration: ContinuousClock.now - start
            )
        }
        let response = try await next(request, context)
        status = response.status.code
        return response
    }
}
