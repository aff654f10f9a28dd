import FlowGuardSupport
import Logging

/// Compresses and stores the objects of one sealed segment (one task per partition at a time).
struct SegmentUploader: Sendable {
    let store: any LakeStore
    let spoolDirectory: String
    let gzipLevel: Int
    let metrics: DumpMetrics
    let gate: UploadGate
    let logger: Logger

    /// Stores every object of the segment, in name order; returns when all are stored.
    /// - Throws: `LakeError` when the store refuses for good, or the task was cancelled.
    func upload(_ segment: SealedSegment) async throws(LakeError) {
        let prefix = store.destination.keyPrefix
        for object in segment.objects {
            try Task.checkCancellation(or: LakeError("cancelled"))
            try await gate.acquire()
            let started = ContinuousClock.now
            let key = object.name.key(prefix: prefix)
            let compressed: SpoolFile
            do {
                defer { gate.release() }
                compressed = try Gzip.compress(object.spool, directory: spoolDirectory, level: gzipLevel)
                try await store.store(key: key, file: compressed)
            }
            let duration = ContinuousClock.now - started
            metrics.objectStored(
                topic: segment.topic, reason: segment.reason, records: object.records, bytes: object.spool.size,
                storedBytes: compressed.size, duration: duration
            )
            logger.debug("stored \(key)", metadata: [
                LoggingKeys.lakeObject: "\(key)", "lake.records": "\(object.records)", "lake.bytes": "\(compressed.size)",
            ])
        }
    }
}

extension Task where Success == Never, Failure == Never {
    static func checkCancellation(or error: LakeError) throws(LakeError) {
        if Task.isCancelled { throw error }
    }
}
