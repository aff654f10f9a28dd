import CompressNIO
import NIOCore

/// gzip through compress-nio (zlib), chunk by chunk, so that neither side is ever whole in memory.
package enum Gzip {
    /// zlib's levels, from the fastest to the smallest.
    package static let levels = 1...9
    /// zlib's own default. On the lake's lines level 1 compresses about 3 times as fast, into objects
    /// a quarter to a third larger (docs/dump.md).
    package static let defaultLevel = 6
    static let chunkSize = 1 << 20

    /// Compresses the whole of `source` at `level` into a new spool file in `directory`. The output
    /// depends only on the bytes and the level (the chunking is fixed and the gzip header carries no
    /// time or name), so the same records always make the same object.
    package static func compress(_ source: SpoolFile, directory: String, level: Int = defaultLevel) throws(LakeError) -> SpoolFile {
        let output = try SpoolFile(directory: directory)
        do {
            // zlib's configuration traps outside -1...9; the command line allows only `levels`.
            let configuration = ZlibConfiguration(compressionLevel: Int32(min(max(level, levels.lowerBound), levels.upperBound)))
            let compressor = try ZlibCompressor(algorithm: .gzip, configuration: configuration)
            var window = ByteBufferAllocator().buffer(capacity: chunkSize / 2)
            var offset = 0
            let total = source.size
            repeat {
                let length = min(chunkSize, total - offset)
                var input = ByteBuffer(bytes: try source.read(offset: offset, length: length))
                offset += length
                let finishing = offset >= total
                while true {
                    window.clear()
                    do {
                        try compressor.deflate(from: &input, to: &window, flush: finishing ? .finish : .no)
                        try output.append(window.readableBytesView)
                        if finishing || input.readableBytes == 0 { break }
                    } catch let error as CompressNIOError where error == .bufferOverflow {
                        // The window is full; write it out and go on with the rest.
                        try output.append(window.readableBytesView)
                    }
                }
            } while offset < total
            try output.flush()
            return output
        } catch let error as LakeError {
            throw error
        } catch {
            throw LakeError("gzip failed: \(error)")
        }
    }

    /// Decompresses a whole gzip member (the verifier's reader).
    package static func decompress(_ bytes: [UInt8]) throws(LakeError) -> [UInt8] {
        do {
            let decompressor = try ZlibDecompressor(algorithm: .gzip)
            var input = ByteBuffer(bytes: bytes)
            var output: [UInt8] = []
            var window = ByteBufferAllocator().buffer(capacity: chunkSize)
            while true {
                window.clear()
                do {
                    try decompressor.inflate(from: &input, to: &window)
                    output.append(contentsOf: window.readableBytesView)
                    break
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    output.append(contentsOf: window.readableBytesView)
                }
            }
            // zlib stops without an error at the end of a cut-off input; the trailer's size (mod 2^32) tells.
            let trailer = bytes.suffix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard bytes.count >= 18, trailer == UInt32(truncatingIfNeeded: output.count) else {
                throw LakeError("a truncated gzip object (\(output.count) bytes decompressed)")
            }
            return output
        } catch let error as LakeError {
            throw error
        } catch {
            throw LakeError("not a valid gzip object: \(error)")
        }
    }
}
