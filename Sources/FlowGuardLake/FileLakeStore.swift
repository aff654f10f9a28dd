import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A lake in a local directory (`file:///DIR`): keys are paths below it. An object is written to a hidden
/// temporary file beside its final name, synced, and renamed over it, so a reader or a crash never sees half.
package struct FileLakeStore: LakeStore {
    package let root: String
    package var destination: LakeDestination { .directory(root) }

    package init(root: String) {
        self.root = root
    }

    package func prepare() async throws(LakeError) {
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw LakeError("cannot create the lake directory \(root): \(error)")
        }
        guard access(root, W_OK) == 0 else {
            throw LakeError("cannot write the lake directory \(root): \(String(cString: strerror(errno)))")
        }
    }

    package func store(key: String, file: SpoolFile) async throws(LakeError) {
        let path = "\(root)/\(key)"
        let folder = String(path[..<path.lastIndex(of: "/")!])
        let name = path[path.index(after: path.lastIndex(of: "/")!)...]
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw LakeError("cannot create \(folder): \(error)")
        }
        let temporary = "\(folder)/.\(name).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw LakeError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var closed = false
        defer { if !closed { close(descriptor); unlink(temporary) } }
        var offset = 0
        while offset < file.size {
            let chunk = try file.read(offset: offset, length: min(1 << 20, file.size - offset))
            if let error = writeAll(descriptor, chunk) {
                throw LakeError("cannot write \(temporary): \(String(cString: strerror(error)))")
            }
            offset += chunk.count
        }
        guard fsync(descriptor) == 0 else { throw LakeError("cannot sync \(temporary): \(String(cString: strerror(errno)))") }
        close(descriptor)
        closed = true
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw LakeError("cannot rename \(temporary) to \(path): \(reason)")
        }
    }

    package func list(prefix: String) async throws(LakeError) -> [String] {
        let start = prefix.isEmpty ? root : "\(root)/\(prefix)"
        guard FileManager.default.fileExists(atPath: start) else { return [] }
        do {
            let base = prefix.isEmpty ? "" : (prefix.hasSuffix("/") ? prefix : prefix + "/")
            return try FileManager.default.subpathsOfDirectory(atPath: start)
                .filter { !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
                .map { base + $0 }
                .filter { !isDirectory("\(root)/\($0)") }
                .sorted()
        } catch {
            throw LakeError("cannot list \(start): \(error)")
        }
    }

    private func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    package func read(key: String) async throws(LakeError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: "\(root)/\(key)") else {
            throw LakeError("cannot read \(root)/\(key)")
        }
        return [UInt8](data)
    }
}
