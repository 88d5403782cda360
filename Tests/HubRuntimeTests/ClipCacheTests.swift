import Testing

@testable import HubWeb

/// The clip cache stays within its capacity, dropping the oldest entry first.
@Suite struct ClipCacheTests {
    @Test func keepsAtMostItsCapacityDroppingTheOldest() {
        let cache = ClipCache<[Float]>(capacity: 2)
        cache.store([1], sha256: "a")
        cache.store([2], sha256: "b")
        cache.store([2.5], sha256: "b")
        #expect(cache.count == 2 && cache.value(sha256: "b") == [2.5])
        cache.store([3], sha256: "c")
        #expect(cache.count == 2)
        #expect(cache.value(sha256: "a") == nil && cache.value(sha256: "b") == [2.5] && cache.value(sha256: "c") == [3])
    }
}
