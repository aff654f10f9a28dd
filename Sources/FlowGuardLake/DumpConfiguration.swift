/// How `dump` runs.
package struct DumpConfiguration: Sendable {
    /// The topics to dump.
    package var topics: [String]
    package var policy: RotationPolicy
    /// Where spool files are created (and unlinked at once).
    package var spoolDirectory: String
    /// zlib's level for the objects (``Gzip/levels``).
    package var gzipLevel: Int
    /// The longest the loop waits for a record, a rebalance or a finished upload when it has nothing to do;
    /// idle segments are sealed by age between waits.
    package var pollTimeout: Duration
    /// Sealed segments a partition may have waiting for storage before it is paused (disk stays bounded when
    /// the store is down).
    package var maxWaitingSegments: Int
    /// Objects compressed and stored at once, across partitions (memory grows with this, see `UploadGate`).
    package var maxConcurrentUploads: Int
    /// On SIGTERM, how long uploads already under way may take to finish and be committed.
    package var shutdownGrace: Duration
    /// How often the lag per partition is measured.
    package var lagInterval: Duration

    package init(
        topics: [String], policy: RotationPolicy = RotationPolicy(), spoolDirectory: String = "/tmp", gzipLevel: Int = Gzip.defaultLevel,
        pollTimeout: Duration = .milliseconds(100), maxWaitingSegments: Int = 3, maxConcurrentUploads: Int = 4, shutdownGrace: Duration = .seconds(10),
        lagInterval: Duration = .seconds(5)
    ) {
        self.topics = topics
        self.policy = policy
        self.spoolDirectory = spoolDirectory
        self.gzipLevel = gzipLevel
        self.pollTimeout = pollTimeout
        self.maxWaitingSegments = maxWaitingSegments
        self.maxConcurrentUploads = maxConcurrentUploads
        self.shutdownGrace = shutdownGrace
        self.lagInterval = lagInterval
    }
}
