/// TLS settings for the broker connection.
///
/// The server certificate is always verified against `caFile` and the host name.
/// `Sendable`: a value type.
public struct TLSConfiguration: Hashable, Sendable {
    /// PEM file with the CA certificate(s) that signed the broker certificate.
    public var caFile: String
    /// PEM client certificate for mutual TLS, or `nil`.
    public var certificateFile: String?
    /// PEM private key of `certificateFile`, or `nil`.
    public var keyFile: String?
    /// Minimum protocol, libmosquitto syntax: `"tlsv1.2"` or `"tlsv1.3"`.
    public var version: String?

    /// Creates TLS settings.
    public init(caFile: String, certificateFile: String? = nil, keyFile: String? = nil, version: String? = "tlsv1.2") {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.version = version
    }
}
