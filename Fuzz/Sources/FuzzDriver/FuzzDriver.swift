/// Starts libFuzzer from a SwiftPM executable.
///
/// SwiftPM renames an executable's entry point to `<module>_main` and links `main` to it, so
/// libFuzzer's own `main` is never linked in. Each target therefore defines that entry point and
/// calls ``run(_:_:_:)``, which hands the command line to libFuzzer's driver (compiler-rt's
/// `LLVMFuzzerRunDriver`) with the target's test function.
public enum FuzzDriver {
    /// A fuzz target's test function: one input, 0 to go on.
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// Runs libFuzzer with this process's arguments; returns its exit status.
    public static func run(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, _ test: TestOneInput
    ) -> CInt {
        var count = argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
        return llvmFuzzerRunDriver(&count, &arguments, test)
    }
}

/// `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size))`.
@_silgen_name("LLVMFuzzerRunDriver")
private func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ test: FuzzDriver.TestOneInput
) -> CInt
