#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The calling thread's `errno`, read right after a failed libmosquitto call.
func currentErrno() -> Int32 { errno }
