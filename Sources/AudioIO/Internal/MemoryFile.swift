import CSndFile
import Foundation

/// A growable in-memory byte file behind libsndfile's virtual I/O (`sf_open_virtual`), so audio
/// can be encoded without touching the disk. Seeks past the end are allowed; a later write fills
/// the gap with zeros, as a sparse file would read.
///
/// Not `Sendable`: used by one encode call on one thread.
final class MemoryFile {
    /// The file's bytes.
    private(set) var bytes: [UInt8] = []
    private var position = 0

    /// The callbacks libsndfile calls; `user_data` is an unretained `MemoryFile`.
    static var virtualIO: SF_VIRTUAL_IO {
        SF_VIRTUAL_IO(
            get_filelen: { user in sf_count_t(MemoryFile.file(user).bytes.count) },
            seek: { offset, whence, user in MemoryFile.file(user).seek(Int(offset), whence: whence) },
            read: { destination, count, user in MemoryFile.file(user).read(into: destination, count: Int(count)) },
            write: { source, count, user in MemoryFile.file(user).write(source, count: Int(count)) },
            tell: { user in sf_count_t(MemoryFile.file(user).position) })
    }

    private static func file(_ user: UnsafeMutableRawPointer?) -> MemoryFile {
        Unmanaged<MemoryFile>.fromOpaque(user!).takeUnretainedValue()
    }

    private func seek(_ offset: Int, whence: Int32) -> sf_count_t {
        let base: Int
        switch whence {
        case SEEK_SET: base = 0
        case SEEK_CUR: base = position
        case SEEK_END: base = bytes.count
        default: return -1
        }
        guard base + offset >= 0 else { return -1 }
        position = base + offset
        return sf_count_t(position)
    }

    private func read(into destination: UnsafeMutableRawPointer?, count: Int) -> sf_count_t {
        guard let destination, count > 0, position < bytes.count else { return 0 }
        let n = min(count, bytes.count - position)
        bytes.withUnsafeBytes { source in
            destination.copyMemory(from: source.baseAddress! + position, byteCount: n)
        }
        position += n
        return sf_count_t(n)
    }

    private func write(_ source: UnsafeRawPointer?, count: Int) -> sf_count_t {
        guard let source, count > 0 else { return 0 }
        let end = position + count
        if end > bytes.count { bytes.append(contentsOf: repeatElement(0, count: end - bytes.count)) }
        bytes.withUnsafeMutableBytes { destination in
            (destination.baseAddress! + position).copyMemory(from: source, byteCount: count)
        }
        position = end
        return sf_count_t(count)
    }
}
