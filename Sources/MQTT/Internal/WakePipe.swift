#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A non-blocking pipe that wakes the loop thread's `poll` when work is submitted.
///
/// `Sendable`: two file descriptors, immutable after init; `write`/`read` on them are
/// thread-safe system calls.
final class WakePipe: Sendable {
    let readEnd: Int32
    private let writeEnd: Int32

    init() throws(MQTTError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            throw MQTTError(.library(.errno, errno: currentErrno()), call: .wakePipe)
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Makes the read end readable.
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Empties the pipe.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }

    /// Waits until the pipe (or `socket`, when not negative) is ready, or `timeout` ms pass.
    /// Returns whether the pipe was readable.
    @discardableResult
    func wait(socket: Int32, wantWrite: Bool, timeout: Int32) -> Bool {
        var fds = [pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
        if socket >= 0 {
            fds.append(pollfd(fd: socket, events: Int16(POLLIN) | (wantWrite ? Int16(POLLOUT) : 0), revents: 0))
        }
        let n = poll(&fds, nfds_t(fds.count), timeout)
        return n > 0 && fds[0].revents & Int16(POLLIN) != 0
    }
}
