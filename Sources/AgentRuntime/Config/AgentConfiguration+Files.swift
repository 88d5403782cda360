import ConfigSchema
import Inference

extension AgentConfiguration.Models {
    /// The verifier for model updates: accepts artifacts signed by any pinned hub key
    /// (``hubPublicKeyFiles``) and no larger than ``maxArtifactBytes``.
    ///
    /// - Throws: `KeyFileError` naming the first key file that is missing or malformed.
    public func artifactVerifier() throws(KeyFileError) -> ArtifactVerifier {
        let keys = try hubPublicKeyFiles.map { path throws(KeyFileError) in try SigningKeyFile.publicKey(path: path) }
        return ArtifactVerifier(trusting: keys, sizeLimit: maxArtifactBytes)
    }
}

extension AgentConfiguration.Broker {
    /// The broker password: ``password``, else the first line of ``passwordFile``, else `nil`.
    ///
    /// - Throws: ``ConfigError/unreadable(path:reason:)`` when the password file cannot be read,
    ///   ``ConfigError/invalidValue(path:expected:)`` (`broker.password_file`) when its first line is empty.
    public func resolvedPassword() throws(ConfigError) -> String? {
        if let password { return password }
        guard let passwordFile else { return nil }
        let text = try ConfigNode.text(ofFile: passwordFile)
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let password = line.hasSuffix("\r") ? String(line.dropLast()) : line
        guard !password.isEmpty else {
            throw .invalidValue(path: "broker.password_file", expected: "a file whose first line is the password")
        }
        return password
    }
}
