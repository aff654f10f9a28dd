#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX thread that runs one closure, with a name that `top -H`, `perf` and `/proc` show.
package final class PosixThread: Sendable {
    private final class Start {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// The `pthread_t`, kept as an integer so that the class is `Sendable` (it is a pointer on Darwin).
    private let handle: UInt

    /// Starts a thread running `body`.
    /// - Parameter name: At most 15 bytes on Linux; the kernel cuts a longer name.
    package init(name: String, _ body: @escaping @Sendable () -> Void) {
        let start = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let result = pthread_create(&thread, nil, { argument in
            // The argument is optional on Linux and not on Darwin.
            let start = Unmanaged<Start>.fromOpaque((argument as UnsafeMutableRawPointer?)!).takeRetainedValue()
            PosixThread.nameCurrentThread(start.name)
            start.body()
            return nil
        }, start)
        precondition(result == 0, "pthread_create failed: \(result)")
        #if canImport(Glibc)
        handle = thread
        #else
        handle = UInt(bitPattern: thread)
        #endif
    }

    private var thread: pthread_t {
        #if canImport(Glibc)
        handle
        #else
        pthread_t(bitPattern: handle)!
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

    /// Waits until the thread's closure has returned; call it once. Called from the thread itself
    /// (its closure dropped the last reference to what stops it), it detaches the thread instead,
    /// which then ends when the closure returns.
    package func join() {
        if pthread_equal(pthread_self(), thread) != 0 {
            precondition(pthread_detach(thread) == 0, "pthread_detach failed")
            return
        }
        let result = pthread_join(thread, nil)
        precondition(result == 0, "pthread_join failed: \(result)")
    }
}
