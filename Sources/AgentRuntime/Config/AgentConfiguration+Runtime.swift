import Foundation
import MQTT

extension AgentConfiguration {
    /// `alarm.*` as the pipelines' policy.
    public var alarmPolicy: AlarmPolicy {
        AlarmPolicy(warningK: alarm.warningK, warningN: alarm.warningN, alarmAfterWindows: alarm.alarmAfterWindows)
    }

    /// `clips.*` as the pipelines' policy.
    public var clipPolicy: ClipPolicy {
        ClipPolicy(
            uploadAnomalies: clips.uploadAnomalies, maxPerAssetPerHour: clips.maxPerAssetPerHour,
            normalSampleProbability: clips.normalSampleProbability, seconds: clips.seconds)
    }
}

extension AgentConfiguration.Broker {
    /// The MQTT client settings: host, port, client id, credentials (the password read from
    /// `password_file` when given), TLS and keepalive. The agent adds its last will.
    /// - Throws: Foundation's error when `password_file` cannot be read.
    public func mqttConfiguration() throws -> MQTTConfiguration {
        var credentials: MQTTCredentials?
        if let username {
            var secret = password ?? ""
            if let passwordFile {
                secret = try String(contentsOfFile: passwordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            credentials = MQTTCredentials(username: username, password: secret)
        }
        return MQTTConfiguration(
            host: host, port: Int32(port), clientID: clientID, keepAlive: Int32(keepaliveSeconds), credentials: credentials,
            tls: tls.map { TLSConfiguration(caFile: $0.caFile, certificateFile: $0.certificateFile, keyFile: $0.keyFile) })
    }
}
