import FlowGuardEvents
import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport
import Logging

/// Takes one valid event to Kafka: availability, duplicate and admission checks, produce, wait for
/// the acknowledgement. Shared by the single-event and batch endpoints.
struct EventSubmitter: Sendable {
    let producer: KafkaProducer
    let health: HealthMonitor
    let metrics: GatewayMetrics
    let admission: AdmissionControl
    let deduplication: DeduplicationWindow
    let requiredTopics: [String]

    /// One event ready to submit: its deduplication key and content digest, and its Kafka record.
    struct Prepared {
        var key: DeduplicationWindow.Digest
        var content: DeduplicationWindow.ContentDigest
        var record: OutgoingRecord
    }

    /// Encodes the event once: the Kafka value, and from the same bytes the digest a retry must match.
    /// - Parameter requestID: the `request_id` header's value, in UTF-8.
    static func prepare(_ event: ValidatedEvent, requestID: [UInt8], receivedAt: ReceiveTime) -> Prepared {
        let encoded = event.encodedValue(receivedAt: receivedAt)
        return Prepared(
            key: DeduplicationWindow.key(kind: event.kind, eventID: event.eventID),
            content: DeduplicationWindow.ContentDigest(fingerprintOf: encoded),
            record: event.kafkaRecord(requestID: requestID, value: encoded.bytes)
        )
    }

    func submit(_ event: ValidatedEvent, requestID: String, logger: Logger) async -> SubmissionOutcome {
        await withCheckedContinuation { continuation in
            submit(event, requestID: requestID, logger: logger) { continuation.resume(returning: $0) }
        }
    }

    /// Submits one event without a task of its own: `completion` gets the outcome once, on the
    /// calling thread when it is known at once (a duplicate, a refusal), else on the producer's poll
    /// thread. It must return quickly.
    func submit(
        _ event: ValidatedEvent,
        requestID: String,
        logger: Logger,
        completion: @escaping @Sendable (SubmissionOutcome) -> Void
    ) {
        let kind = event.kind
        let prepared = Self.prepare(event, requestID: Array(requestID.utf8), receivedAt: .now)
        let key = prepared.key
        deduplication.begin(key: key, content: prepared.content, topic: kind.topic) { decision in
            guard case .new(let slot) = decision else { return completion(answer(to: decision, kind: kind)) }

            // A retry of a stored event is answered even while Kafka is away; a new event is refused at once.
            if let refused = admit(1) {
                metrics.recordFailed(topic: kind.topic, reason: refused.reason)
                deduplication.abandon(key: key, outcome: refused.outcome)
                return completion(refused.outcome)
            }
            let started = ContinuousClock.now
            producer.produce(prepared.record) { result in
                let latency = ContinuousClock.now - started
                admission.release()
                admission.record(latency: latency)
                switch result {
                case .success(let report):
                    metrics.recordProduced(topic: kind.topic, latency: latency)
                    deduplication.complete(key: key, report: report, slot: slot)
                    completion(.accepted(report))
                case .failure(let error):
                    let outcome = failure(error, event: event, logger: logger)
                    deduplication.abandon(key: key, outcome: outcome)
                    completion(outcome)
                }
            }
        }
    }

    /// Takes the valid events of one batch request to Kafka: the same checks and answers as `submit`
    /// per event, but registered with deduplication under one lock, produced together and awaited
    /// with one suspension, not one task per event.
    /// - Returns: one outcome per event, in order.
    func submitBatch(_ events: [ValidatedEvent], requestID: String, logger: Logger) async -> [SubmissionOutcome] {
        var outcomes = [SubmissionOutcome?](repeating: nil, count: events.count)
        let receivedAt = ReceiveTime.now
        // Each record's request_id header is `<request id>/<index>`, written as bytes.
        let requestIDPrefix = Array("\(requestID)/".utf8)
        var entries: [(key: DeduplicationWindow.Digest, content: DeduplicationWindow.ContentDigest, topic: String)] = []
        entries.reserveCapacity(events.count)
        var records: [OutgoingRecord] = []
        records.reserveCapacity(events.count)
        for (index, event) in events.enumerated() {
            var itemRequestID = requestIDPrefix
            JSONWriter.appendInteger(Int64(index), to: &itemRequestID)
            let item = Self.prepare(event, requestID: itemRequestID, receivedAt: receivedAt)
            entries.append((item.key, item.content, event.kind.topic))
            records.append(item.record)
        }

        // Only the new events' records are kept (moved to the front, in order), then moved to the
        // producer without a copy.
        var fresh: [(index: Int, slot: Int?)] = []
        fresh.reserveCapacity(events.count)
        /// Retries of events still in flight, this batch's own included: answered once those are done.
        var waiting: [Int] = []
        for (index, decision) in deduplication.tryBegin(entries).enumerated() {
            switch decision {
            case .new(let slot):
                records.swapAt(fresh.count, index)
                fresh.append((index, slot))
            case let decision?: outcomes[index] = answer(to: decision, kind: events[index].kind)
            case nil: waiting.append(index)
            }
        }
        records.removeLast(records.count - fresh.count)

        if !fresh.isEmpty {
            if let refused = admit(fresh.count) {
                for (index, _) in fresh {
                    metrics.recordFailed(topic: events[index].kind.topic, reason: refused.reason)
                    deduplication.abandon(key: entries[index].key, outcome: refused.outcome)
                    outcomes[index] = refused.outcome
                }
            } else {
                // librdkafka copies the records, and nothing here needs them while the batch waits.
                let started = ContinuousClock.now
                let results = await producer.produceAll(consume records)
                let latency = ContinuousClock.now - started
                admission.release(fresh.count)
                admission.record(latency: latency)
                var stored: [(key: DeduplicationWindow.Digest, report: DeliveryReport, slot: Int?)] = []
                stored.reserveCapacity(fresh.count)
                var producedPerTopic: [String: Int] = [:]
                for ((index, slot), result) in zip(fresh, results) {
                    switch result {
                    case .success(let report):
                        producedPerTopic[report.topic, default: 0] += 1
                        stored.append((entries[index].key, report, slot))
                        outcomes[index] = .accepted(report)
                    case .failure(let error):
                        let outcome = failure(error, event: events[index], logger: logger)
                        deduplication.abandon(key: entries[index].key, outcome: outcome)
                        outcomes[index] = outcome
                    }
                }
                deduplication.complete(stored)
                for (topic, count) in producedPerTopic {
                    metrics.recordProduced(topic: topic, latency: latency, count: count)
                }
            }
        }

        for index in waiting {
            outcomes[index] = await submit(events[index], requestID: "\(requestID)/\(index)", logger: logger)
        }
        return outcomes.map { $0! }
    }

    /// The answer to an event that deduplication settled on its own (anything but `.new`).
    private func answer(to decision: DeduplicationWindow.Decision, kind: EventKind) -> SubmissionOutcome {
        switch decision {
        case .duplicate(let report):
            metrics.recordDuplicate(eventType: kind.rawValue)
            return .duplicate(report)
        case .conflict:
            metrics.recordRejected(eventType: kind.rawValue, reason: "conflict")
            return .conflict
        case .originalFailed(let outcome):
            return outcome
        case .new:
            preconditionFailure("a new event goes to Kafka, it has no answer yet")
        }
    }

    /// Takes `count` places for new events, or says why they cannot go to Kafka now (Kafka
    /// unreachable, or too many events waiting) and the `reason` the failure metric records.
    private func admit(_ count: Int) -> (outcome: SubmissionOutcome, reason: String)? {
        if let reason = health.current.unavailableReason(requiredTopics: requiredTopics) {
            return (.unavailable(reason: reason, retryAfter: 5), "unavailable")
        }
        if let retryAfter = admission.admit(count) {
            return (.unavailable(reason: "too many events waiting for Kafka", retryAfter: retryAfter), "overloaded")
        }
        return nil
    }

    /// 504 when the broker may have stored the event, 503 when it certainly did not.
    private func failure(_ error: KafkaError, event: ValidatedEvent, logger: Logger) -> SubmissionOutcome {
        let reason = (error.rdKafkaName ?? error.code.description).lowercased()
        metrics.recordFailed(topic: event.kind.topic, reason: reason)
        logger.warning(
            "Event not acknowledged by Kafka",
            metadata: [
                LoggingKeys.eventID: .string(event.eventID),
                LoggingKeys.topic: .string(event.kind.topic),
                LoggingKeys.errorCode: .string(error.rdKafkaName ?? "unknown"),
                LoggingKeys.errorMessage: .string(error.message),
            ]
        )
        if error.code == .delivery && error.possiblyPersisted {
            return .timedOut(reason: error.message)
        }
        return .unavailable(reason: error.message, retryAfter: error.isQueueFull ? 1 : admission.retryAfterSeconds)
    }
}
