import ConfigSchema
import MQTT
import Scoring

extension AgentConfiguration {
    /// `alarm.*` as the pipelines' policy.
    public var alarmPolicy: AlarmPolicy { RuntimeSettings(configuration: self).alarmPolicy }

    /// `clips.*` as the pipelines' policy.
    public var clipPolicy: ClipPolicy { RuntimeSettings(configuration: self).clipPolicy }
}

extension AgentConfiguration.Broker {
    /// The MQTT client settings: host, port, client id, credentials (see `resolvedPassword()`), TLS and
    /// keepalive. The agent adds its last will.
    /// - Throws: `ConfigError` when `password_file` cannot be read.
    public func mqttConfiguration() throws(ConfigError) -> MQTTConfiguration {
        let credentials = try username.map { name throws(ConfigError) in
            MQTTCredentials(username: name, password: try resolvedPassword() ?? "")
        }
        return MQTTConfiguration(
            host: host, port: Int32(port), clientID: clientID, keepAlive: Int32(keepaliveSeconds), credentials: credentials,
            tls: tls.map { TLSConfiguration(caFile: $0.caFile, certificateFile: $0.certificateFile, keyFile: $0.keyFile) })
    }
}
