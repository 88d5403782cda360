import MQTT
import Testing

struct MosquittoErrorCodeTests {
    @Test func everyDocumentedCodeRoundTripsAndIsNamed() {
        for raw in Int32(-4)...31 where raw != 0 {
            let code = MosquittoErrorCode(rawValue: raw)
            #expect(code.rawValue == raw)
            if case .other = code { Issue.record("MOSQ_ERR \(raw) is not mapped") }
        }
        #expect(MosquittoErrorCode(rawValue: 999) == .other(999))
    }

    /// Values from mosquitto.h (2.0.11), so a remapping mistake shows up here.
    @Test func codesMatchTheHeader() {
        #expect(MosquittoErrorCode.tls.rawValue == 8)
        #expect(MosquittoErrorCode.noConnection.rawValue == 4)
        #expect(MosquittoErrorCode.errno.rawValue == 14)
        #expect(MosquittoErrorCode.alreadyExists.rawValue == 31)
        #expect(MosquittoErrorCode.authContinue.rawValue == -4)
    }
}
