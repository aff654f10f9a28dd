import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// One request of a fault scenario and the answer it got.
struct LoadAnswer: Sendable {
    var eventID: String
    var topic: String
    /// HTTP status, or -1 when no answer came (connection refused or reset).
    var status: Int
    var partition: Int?
    var offset: Int64?
    var duplicate: Bool
    /// When the request was sent.
    var sent: ContinuousClock.Instant = .now
    /// When the answer (or the failure) came.
    var at: ContinuousClock.Instant = .now
}

/// Real HTTP load against a gateway: `concurrency` clients, each sending events one after another
/// (every 50th invalid on purpose) until `count` events were sent or `duration` passed.
struct LoadDriver: Sendable {
    let client: HTTPClient
    let port: Int
    let scenario: String
    let concurrency: Int
    /// Send every event twice: the retry must get the same position, never a second record.
    var retryEveryEvent = false
    var requestTimeout: Duration = .seconds(60)

    func run(count: Int? = nil, duration: Duration? = nil) async -> [LoadAnswer] {
        let next = SharedCounter()
        let deadline = duration.map { ContinuousClock.now + $0 }
        return await withTaskGroup(of: [LoadAnswer].self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var answers: [LoadAnswer] = []
                    while true {
                        let index = next.value.add(1, ordering: .relaxed).oldValue
                        if let count, index >= count { break }
                        if let deadline, ContinuousClock.now >= deadline { break }
                        let (path, topic, body, eventID) = event(index)
                        answers.append(await send(path: path, topic: topic, body: body, eventID: eventID))
                        if retryEveryEvent {
                            answers.append(await send(path: path, topic: topic, body: body, eventID: eventID))
                        }
                    }
                    return answers
                }
            }
            return await group.reduce(into: []) { $0.append(contentsOf: $1) }
        }
    }

    /// Event `index`: orders and clicks alternating; every 50th is invalid (price 0).
    func event(_ index: Int) -> (path: String, topic: String, body: String, eventID: String) {
        let eventID = "\(scenario)-\(index)"
        let user = index % 97 + 1
        if index % 50 == 49 {
            return ("/api/v1/orders", "raw.orders.v1", order(eventID, user: user, price: "0"), eventID)
        }
        if index % 2 == 0 {
            return ("/api/v1/orders", "raw.orders.v1", order(eventID, user: user), eventID)
        }
        let click = #"{"event_id":"\#(eventID)","user_id":\#(user),"ad_id":"ad-\#(index % 13)","is_click":true,"ad_type":"banner"}"#
        return ("/api/v1/clicks", "raw.clicks.v1", click, eventID)
    }

    func send(path: String, topic: String, body: String, eventID: String) async -> LoadAnswer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        var answer = LoadAnswer(eventID: eventID, topic: topic, status: -1, duplicate: false, sent: .now)
        do {
            let response = try await client.execute(request, timeout: .init(requestTimeout))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            answer.status = Int(response.status.code)
            answer.duplicate = response.headers.first(name: "X-Duplicate") == "true"
            if let object = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] {
                answer.partition = object["partition"] as? Int
                answer.offset = (object["offset"] as? Int).map(Int64.init)
            }
        } catch {
            answer.status = -1
        }
        answer.at = .now
        return answer
    }
}

/// Polls `/health` in the background and keeps every answer.
final class HealthRecorder: Sendable {
    private final class Samples: Sendable {
        let list = Mutex<[(at: ContinuousClock.Instant, status: Int)]>([])
        let stopped = Mutex(false)
    }

    private let samples = Samples()
    private let task: Task<Void, Never>

    init(port: Int) {
        let samples = self.samples
        task = Task {
            while !samples.stopped.withLock({ $0 }) {
                let status: Int
                do {
                    let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(3))
                    status = Int(response.status.code)
                    _ = try? await response.body.collect(upTo: 1 << 20)
                } catch {
                    status = -1
                }
                samples.list.withLock { $0.append((.now, status)) }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Stops after the request in flight, which is not cancelled: cancelling buys nothing here, and a
    /// cancellation racing the request's completion is the suspect of a crash in AsyncHTTPClient's
    /// pool (bench/NOTES.md, ninth round).
    func stop() { samples.stopped.withLock { $0 = true } }

    /// Statuses seen between two instants.
    func statuses(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) -> [Int] {
        samples.list.withLock { $0.filter { $0.at >= start && $0.at <= end }.map(\.status) }
    }
}

/// A counter shared by the load tasks.
final class SharedCounter: Sendable {
    let value = Atomic<Int>(0)
}
