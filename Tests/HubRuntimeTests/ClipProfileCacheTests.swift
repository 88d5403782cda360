import Testing

@testable import HubWeb

/// The reference-profile cache stays within its capacity, dropping the oldest entry first.
@Suite struct ClipProfileCacheTests {
    @Test func keepsAtMostItsCapacityDroppingTheOldest() {
        let cache = ClipProfileCache(capacity: 2)
        cache.store([1], sha256: "a")
        cache.store([2], sha256: "b")
        cache.store([2.5], sha256: "b")
        #expect(cache.count == 2 && cache.profile(sha256: "b") == [2.5])
        cache.store([3], sha256: "c")
        #expect(cache.count == 2)
        #expect(cache.profile(sha256: "a") == nil && cache.profile(sha256: "b") == [2.5] && cache.profile(sha256: "c") == [3])
    }
}
