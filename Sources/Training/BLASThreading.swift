/// Controls how many threads OpenBLAS uses for the `sgemm` calls behind convolutions and dense layers.
///
/// Training defaults to **one** thread: OpenBLAS splits a GEMM differently per thread count, which can
/// change float summation order, so a fixed count is part of "same seed → same weights". One thread also
/// suits the hub, which shares its cores with ingest and HTTP. Raise it for large ResNets when the
/// machine is otherwise idle; results stay deterministic for any fixed count. `Sendable`: stateless.
public enum BLASThreading: Sendable {
    /// Sets the process-wide OpenBLAS thread count (≥ 1). Call before training, not during a step.
    public static func setThreadCount(_ count: Int) {
        BLAS.setThreads(max(1, count))
    }

    /// The current process-wide OpenBLAS thread count.
    public static var threadCount: Int { BLAS.threads() }
}
