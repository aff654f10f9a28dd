#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX thread that runs one closure, with a name that `top -H`, `perf` and `/proc` show.
final class PosixThread: Sendable {
    private final class Start {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    private let handle: pthread_t

    /// Starts a thread running `body`.
    /// - Parameter name: At most 15 bytes on Linux; a longer name is ignored by the kernel.
    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let start = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        #if canImport(Glibc)
        var handle = pthread_t()
        #else
        var handle: pthread_t?
        #endif
        let result = pthread_create(&handle, nil, { argument in
            let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
            PosixThread.nameCurrentThread(start.name)
            start.body()
            return nil
        }, start)
        precondition(result == 0, "pthread_create failed: \(result)")
        #if canImport(Glibc)
        self.handle = handle
        #else
        self.handle = handle!
        #endif
    }

    /// Names the calling thread. Glibc's `pthread_setname_np` is not visible to Swift without
    /// `_GNU_SOURCE`, so on Linux the name is written where that function writes it.
    private static func nameCurrentThread(_ name: String) {
        #if canImport(Glibc)
        let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var name = name
        _ = name.withUTF8 { write(descriptor, $0.baseAddress, $0.count) }
        #else
        _ = pthread_setname_np(name)
        #endif
    }

    /// Waits until the thread's closure has returned. Call it once, never from the thread itself.
    func join() {
        _ = pthread_join(handle, nil)
    }
}
