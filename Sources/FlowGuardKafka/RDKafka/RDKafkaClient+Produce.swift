import CRdKafka
import Synchronization

/// Carries what waits for one message's delivery report through librdkafka's per-message opaque
/// pointer: the continuation of one `produce` call, a callback, or one place in a batch.
final class RDKafkaDeliveryWaiter: Sendable {
    enum Target: Sendable {
        case single(CheckedContinuation<Result<DeliveryReport, KafkaError>, Never>)
        case callback(@Sendable (Result<DeliveryReport, KafkaError>) -> Void)
        case batch(RDKafkaBatchDelivery, index: Int)
    }

    let topic: String
    private let target: Target

    init(topic: String, target: Target) {
        self.topic = topic
        self.target = target
    }

    func complete(_ result: Result<DeliveryReport, KafkaError>) {
        switch target {
        case .single(let continuation): continuation.resume(returning: result)
        case .callback(let callback): callback(result)
        case .batch(let batch, let index): batch.deliver(result, at: index)
        }
    }
}

/// The delivery reports of a batch of messages, gathered on the poll thread; the one task that
/// produced the batch waits in `results()` and is resumed once, when the last report arrived.
final class RDKafkaBatchDelivery: Sendable {
    private struct State {
        var results: [Result<DeliveryReport, KafkaError>?]
        var remaining: Int
        var continuation: CheckedContinuation<[Result<DeliveryReport, KafkaError>], Never>?
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(results: Array(repeating: nil, count: count), remaining: count, continuation: nil))
    }

    func deliver(_ result: Result<DeliveryReport, KafkaError>, at index: Int) {
        let finished = state.withLock { state -> (CheckedContinuation<[Result<DeliveryReport, KafkaError>], Never>, [Result<DeliveryReport, KafkaError>])? in
            state.results[index] = result
            state.remaining -= 1
            guard state.remaining == 0, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return (continuation, Self.take(&state))
        }
        if let (continuation, results) = finished {
            continuation.resume(returning: results)
        }
    }

    /// Every result, in order, once the last report arrived (at once if it already did).
    func results() async -> [Result<DeliveryReport, KafkaError>] {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [Result<DeliveryReport, KafkaError>]? in
                guard state.remaining == 0 else {
                    state.continuation = continuation
                    return nil
                }
                return Self.take(&state)
            }
            if let ready {
                continuation.resume(returning: ready)
            }
        }
    }

    private static func take(_ state: inout State) -> [Result<DeliveryReport, KafkaError>] {
        let results = state.results.map { $0! }
        state.results = []
        return results
    }
}

extension RDKafkaClient {
    /// Enqueues one message; its delivery report resumes `waiter` on the poll thread.
    ///
    /// librdkafka copies key, value and headers (`RD_KAFKA_MSG_F_COPY`), so nothing needs to outlive the call.
    func produce(
        to topic: RDKafkaTopic,
        partition: Int32?,
        key: [UInt8]?,
        value: [UInt8],
        headers: [KafkaHeader],
        timestampMillis: Int64?,
        waiter: RDKafkaDeliveryWaiter
    ) -> KafkaError? {
        var cHeaders: OpaquePointer? = nil
        if !headers.isEmpty {
            cHeaders = rd_kafka_headers_new(headers.count)
            for header in headers {
                var name = header.key
                name.withUTF8 { nameBytes in
                    if let value = header.value {
                        value.withUnsafeBytes { valueBytes in
                            _ = rd_kafka_header_add(
                                cHeaders, nameBytes.baseAddress, nameBytes.count,
                                valueBytes.baseAddress, valueBytes.count
                            )
                        }
                    } else {
                        _ = rd_kafka_header_add(cHeaders, nameBytes.baseAddress, nameBytes.count, nil, 0)
                    }
                }
            }
        }

        let opaque = Unmanaged.passRetained(waiter).toOpaque()
        let error: OpaquePointer? = topic.withNameIfNoHandle { topicName in
            value.withUnsafeBytes { valueBytes in
                withOptionalBytes(key) { keyBytes in
                    // At most 8 arguments, on the stack: no allocation per message.
                    withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 8) { vus in
                        var count = 0
                        func append(_ build: (inout rd_kafka_vu_t) -> Void) {
                            var vu = rd_kafka_vu_t()
                            build(&vu)
                            vus.initializeElement(at: count, to: vu)
                            count += 1
                        }
                        if let handle = topic.handle {
                            append { $0.vtype = RD_KAFKA_VTYPE_RKT; $0.u.rkt = handle }
                        } else if let topicName {
                            append { $0.vtype = RD_KAFKA_VTYPE_TOPIC; $0.u.cstr = topicName }
                        }
                        if let partition {
                            append { $0.vtype = RD_KAFKA_VTYPE_PARTITION; $0.u.i32 = partition }
                        }
                        append {
                            $0.vtype = RD_KAFKA_VTYPE_VALUE
                            $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: valueBytes.baseAddress)
                            $0.u.mem.size = valueBytes.count
                        }
                        if let keyBytes {
                            append {
                                $0.vtype = RD_KAFKA_VTYPE_KEY
                                $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: keyBytes.baseAddress)
                                $0.u.mem.size = keyBytes.count
                            }
                        }
                        append { $0.vtype = RD_KAFKA_VTYPE_MSGFLAGS; $0.u.i = RD_KAFKA_MSG_F_COPY }
                        append { $0.vtype = RD_KAFKA_VTYPE_OPAQUE; $0.u.ptr = opaque }
                        if let timestampMillis {
                            append { $0.vtype = RD_KAFKA_VTYPE_TIMESTAMP; $0.u.i64 = timestampMillis }
                        }
                        if let cHeaders {
                            append { $0.vtype = RD_KAFKA_VTYPE_HEADERS; $0.u.headers = cHeaders }
                        }
                        // rd_kafka_vu_t is a plain C struct: nothing to deinitialize.
                        return rd_kafka_produceva(handle, vus.baseAddress, count)
                    }
                }
            }
        }
        guard let error else { return nil }
        // Not enqueued: no delivery report will come, so the opaque and the headers are still ours.
        Unmanaged<RDKafkaDeliveryWaiter>.fromOpaque(opaque).release()
        if let cHeaders { rd_kafka_headers_destroy(cHeaders) }
        return KafkaError.consuming(error, code: .enqueue, context: "cannot enqueue message for \(topic.name)")
    }

    /// Waits until every queued message is delivered or `timeoutMillis` passed; returns the messages left.
    func flush(timeoutMillis: Int32) async -> Int {
        await blocking { [self] in
            let handle = self.handle
            _ = rd_kafka_flush(handle, timeoutMillis)
            return Int(rd_kafka_outq_len(handle))
        }
    }
}

extension RDKafkaTopic {
    /// Calls `body` with the name as a C string when there is no handle to produce by, else with nil.
    fileprivate func withNameIfNoHandle<R>(_ body: (UnsafePointer<CChar>?) -> R) -> R {
        guard handle == nil else { return body(nil) }
        return name.withCString { body($0) }
    }
}

private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}
