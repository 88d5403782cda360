import CMosquitto

/// Process-wide libmosquitto initialisation.
///
/// `mosquitto_lib_init` is not thread-safe and must run once before any other call.
/// A Swift `static let` is initialised exactly once, atomically (`swift_once`), so every
/// client goes through ``ensureInitialized()`` and the first caller runs it.
/// `mosquitto_lib_cleanup` is never called: clients may exist until the process exits.
enum MosquittoLibrary {
    private static let initResult: Int32 = mosquitto_lib_init()

    /// Runs `mosquitto_lib_init` once per process.
    ///
    /// - Throws: ``MQTTError`` (call ``MosquittoCall/libInit``) if it failed.
    static func ensureInitialized() throws(MQTTError) {
        try MQTTError.check(initResult, .libInit)
    }
}
