import COpenBLAS

/// Thin wrappers over `cblas_sgemm` for row-major float matrices.
///
/// All calls are row-major. `C = alpha * op(A) * op(B) + beta * C` with `op(A)` of shape (m, k),
/// `op(B)` of shape (k, n) and `C` of shape (m, n).
enum BLAS {
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        beta: Float, c: UnsafeMutablePointer<Float>
    ) {
        let lda = transA ? m : k
        let ldb = transB ? k : n
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(n))
    }

    static func setThreads(_ count: Int) { openblas_set_num_threads(Int32(count)) }
    static func threads() -> Int { Int(openblas_get_num_threads()) }
}
