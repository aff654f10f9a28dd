/// Where the dumper stores objects and the verifier reads them: a directory or an S3 bucket.
package protocol LakeStore: Sendable {
    var destination: LakeDestination { get }
    /// Checks that the destination exists and can be written (creating a directory when needed).
    /// - Throws: `LakeError` with the store's answer (no such bucket, access denied).
    func prepare() async throws(LakeError)
    /// Stores the gzip file under `key`, replacing any object of that name in one step: a reader sees the
    /// old object or the new one, never a part. Retriable failures are retried until it succeeds or the
    /// task is cancelled.
    func store(key: String, file: SpoolFile) async throws(LakeError)
    /// Every key below `prefix` (a folder of the layout, ending in `/`).
    func list(prefix: String) async throws(LakeError) -> [String]
    /// An object's bytes.
    func read(key: String) async throws(LakeError) -> [UInt8]
}
