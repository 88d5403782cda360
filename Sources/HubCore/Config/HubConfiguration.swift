import ConfigSchema
import MQTT
import Wire

/// Everything `earshot-hub --config hub.yaml` reads. See `docs/hub.md` for every key and
/// `deploy/hub.yaml` for an example. Parsing validates every key once; an unknown key,
/// a missing required key or a bad value is a `ConfigError` naming its key path.
///
/// `Sendable`: a value type.
public struct HubConfiguration: Sendable, Equatable {
    /// The broker connection (`broker.*`).
    public struct Broker: Sendable, Equatable {
        /// `broker.host`.
        public var host: String = "127.0.0.1"
        /// `broker.port`.
        public var port: Int = 1883
        /// `broker.client_id`; must be unique per hub process.
        public var clientID: String = "earshot-hub"
        /// `broker.username` and `broker.password`. The rollout publisher, the hub's second connection,
        /// logs in as `<username>-rollout` with the same password (docs/operations.md, "The broker").
        public var credentials: MQTTCredentials?
        /// `broker.tls.*`.
        public var tls: TLSConfiguration?
        /// `broker.session_expiry_s`: how long the broker keeps the hub's session (and queues QoS 1
        /// messages for it) while the hub is down; 0 for a clean session on every connect.
        public var sessionExpirySeconds = 3_600
        /// Creates broker settings.
        public init() {}
    }

    /// Ingest settings (`ingest.*`).
    public struct Ingest: Sendable, Equatable {
        /// `ingest.shared`: subscribe through `$share/earshot-hub/...` so several hubs split the load.
        public var shared = false
        /// `ingest.batch_max_messages`: most MQTT messages stored in one transaction.
        public var batchMaxMessages = 2_000
        /// `ingest.ack_interval_ms`: an agent gets at most one ack per interval.
        public var ackIntervalMs = 200
        /// `ingest.incoming_buffer`: MQTT messages buffered between the broker and the decoder.
        public var incomingBuffer = 200_000
        /// `ingest.max_future_s` (0…1 year, default 5 min): how far ahead of the hub's clock a verdict, clip or
        /// event may be dated; later ones are refused (`window_in_future`). Milliseconds here.
        public var maxFutureMs: Int64 = 300_000
        /// `ingest.max_age_days` (1…36,500, default 400, the rollups' horizon): how far behind the hub's clock a
        /// verdict, clip or event may be dated; older ones are refused (`window_too_old`). Milliseconds here.
        public var maxAgeMs: Int64 = 400 * 86_400_000
        /// `ingest.max_clock_skew_s` (1…1 day, default 60 s): an agent whose status clock differs from the hub's
        /// by more is flagged (`clock_skew_problem` in `/api/v1/agents`, a counter and a log line). Milliseconds here.
        public var maxClockSkewMs: Int64 = 60_000
        /// Creates ingest settings.
        public init() {}
    }

    /// Storage settings (`storage.*`).
    public struct Storage: Sendable, Equatable {
        /// `storage.database`: the SQLite file.
        public var databasePath: String
        /// `storage.clip_dir`: root of the content-addressed clip files.
        public var clipDirectory: String
        /// `storage.retention.raw_verdict_days`, `rollup_days` and `clip_days`.
        public var retention: RetentionPolicy = .standard
        /// `storage.retention.interval_s`: how often retention runs.
        public var retentionIntervalS = 3_600
        /// `storage.model_dir`: root of the content-addressed model artifacts; nil = `models/` beside the database.
        public var modelDirectory: String?
        /// Creates storage settings.
        public init(databasePath: String, clipDirectory: String) {
            self.databasePath = databasePath
            self.clipDirectory = clipDirectory
        }
    }

    /// HTTP server settings (`http.*`).
    public struct HTTP: Sendable, Equatable {
        /// `http.bind`: address to listen on.
        public var bind = "127.0.0.1"
        /// `http.port`: 0 picks a free port.
        public var port = 8080
        /// `http.token`: the bearer token write actions need.
        public var token: String
        /// `http.require_token_for_reads`: also require the token on every GET under `/api/v1`.
        public var requireTokenForReads = false
        /// `http.header_timeout_s`: a client must send a complete request head within this many seconds of
        /// connecting or of the previous response; else the connection is closed. 1…3600, default 10.
        public var headerTimeoutSeconds = 10
        /// `http.body_timeout_s`: a client must send a complete request body within this many seconds of its
        /// head. 1…3600, default 60.
        public var bodyTimeoutSeconds = 60
        /// `http.idle_timeout_s`: a connection on which no request part is read and no response ends for this
        /// many seconds is closed (Hummingbird's idle timeout). 1…3600, default 60.
        public var idleTimeoutSeconds = 60
        /// Creates HTTP settings.
        public init(token: String) { self.token = token }
    }

    /// `hub_id`: this hub's name in acks and logs.
    public var hubID = "earshot-hub"
    /// `topic_prefix`: the topic prefix template, default `earshot/v1/{site}`.
    public var topicPrefix = TopicScheme.defaultPrefix
    /// `broker.*`.
    public var broker = Broker()
    /// `ingest.*`.
    public var ingest = Ingest()
    /// `storage.*`.
    public var storage: Storage
    /// `http.*`.
    public var http: HTTP
    /// `rollout.*`.
    public var rollout = RolloutSettings()
    /// `alarms.*`: when alarms are raised and where notifications go.
    public var alarms = AlarmSettings()

    /// Creates a configuration with defaults for everything but the required keys.
    public init(storage: Storage, http: HTTP) {
        self.storage = storage
        self.http = http
    }

    /// Reads and validates a YAML file.
    ///
    /// - Throws: `ConfigError` (naming the key path).
    public static func load(path: String) throws(ConfigError) -> HubConfiguration {
        try validated(yaml: try ConfigNode.text(ofFile: path)) { _ throws(ConfigError) in }
    }

    /// Reads and validates a YAML file that may also hold `Section` (under `Section.key`), which its
    /// owner parses.
    ///
    /// - Throws: `ConfigError` (naming the key path), for the section's keys too.
    public static func load<Section: HubConfigurationSection>(
        path: String, with section: Section.Type
    ) throws(ConfigError) -> (HubConfiguration, Section) {
        try validated(yaml: try ConfigNode.text(ofFile: path), with: section)
    }

    /// Parses and validates YAML text that may also hold `Section` (under `Section.key`).
    ///
    /// - Throws: `ConfigError` (naming the key path), for the section's keys too.
    public static func parse<Section: HubConfigurationSection>(
        yaml: String, with section: Section.Type
    ) throws(ConfigError) -> (HubConfiguration, Section) {
        try validated(yaml: yaml, with: section)
    }

    private static func validated<Section: HubConfigurationSection>(
        yaml: String, with section: Section.Type
    ) throws(ConfigError) -> (HubConfiguration, Section) {
        var parsed = Section()
        let configuration = try validated(yaml: yaml) { root throws(ConfigError) in
            if var node = try root.node(Section.key) { parsed = try Section(node: &node) }
        }
        return (configuration, parsed)
    }

    /// Parses and validates YAML text.
    ///
    /// - Throws: `ConfigError` (naming the key path).
    public static func parse(yaml: String) throws(ConfigError) -> HubConfiguration {
        try validated(yaml: yaml) { _ throws(ConfigError) in }
    }

    /// The core's sections of `yaml`; `sections` reads the sections other modules own from the root
    /// before the root is checked for unknown keys.
    private static func validated(
        yaml: String, sections: (inout ConfigNode) throws(ConfigError) -> Void
    ) throws(ConfigError) -> HubConfiguration {
        var root = try ConfigNode(yaml: yaml)

        guard var storageNode = try root.node("storage") else { throw .missingKey(path: "storage") }
        var storage = Storage(
            databasePath: try storageNode.requiredString("database"), clipDirectory: try storageNode.requiredString("clip_dir"))
        if var retention = try storageNode.node("retention") {
            let day = 86_400_000.0
            if let raw = try retention.double("raw_verdict_days", in: 0.001...36_500) { storage.retention.rawVerdictsMs = Int64(raw * day) }
            if let rollups = try retention.double("rollup_days", in: 0.001...36_500) { storage.retention.rollupsMs = Int64(rollups * day) }
            if let clips = try retention.double("clip_days", in: 0.001...36_500) { storage.retention.clipsMs = Int64(clips * day) }
            if let interval = try retention.int("interval_s", in: 1...86_400) { storage.retentionIntervalS = interval }
            try retention.finish()
            guard storage.retention.rollupsMs >= storage.retention.rawVerdictsMs else {
                throw .invalidValue(path: "storage.retention.rollup_days", expected: "at least raw_verdict_days")
            }
        }
        storage.modelDirectory = try storageNode.string("model_dir")
        try storageNode.finish()

        guard var httpNode = try root.node("http") else { throw .missingKey(path: "http") }
        var http = HTTP(token: try httpNode.requiredString("token"))
        if let bind = try httpNode.string("bind") { http.bind = bind }
        if let port = try httpNode.int("port", in: 0...65_535) { http.port = port }
        if let reads = try httpNode.bool("require_token_for_reads") { http.requireTokenForReads = reads }
        if let seconds = try httpNode.int("header_timeout_s", in: 1...3_600) { http.headerTimeoutSeconds = seconds }
        if let seconds = try httpNode.int("body_timeout_s", in: 1...3_600) { http.bodyTimeoutSeconds = seconds }
        if let seconds = try httpNode.int("idle_timeout_s", in: 1...3_600) { http.idleTimeoutSeconds = seconds }
        try httpNode.finish()

        var config = HubConfiguration(storage: storage, http: http)
        if let hubID = try root.string("hub_id") { config.hubID = hubID }
        if let prefix = try root.string("topic_prefix") {
            guard (try? TopicScheme(prefix: prefix)) != nil else {
                throw .invalidValue(path: "topic_prefix", expected: "a topic prefix like earshot/v1/{site}")
            }
            config.topicPrefix = prefix
        }
        if var brokerNode = try root.node("broker") {
            if let host = try brokerNode.string("host") { config.broker.host = host }
            if let port = try brokerNode.int("port", in: 1...65_535) { config.broker.port = port }
            if let id = try brokerNode.string("client_id") { config.broker.clientID = id }
            if let expiry = try brokerNode.int("session_expiry_s", in: 0...Int(UInt32.max)) { config.broker.sessionExpirySeconds = expiry }
            let username = try brokerNode.string("username")
            let password = try brokerNode.string("password")
            switch (username, password) {
            case (let user?, let pass?): config.broker.credentials = MQTTCredentials(username: user, password: pass)
            case (nil, nil): break
            case (nil, _?): throw .missingKey(path: "broker.username")
            case (_?, nil): throw .missingKey(path: "broker.password")
            }
            if var tlsNode = try brokerNode.node("tls") {
                var tls = TLSConfiguration(caFile: try tlsNode.requiredString("ca_file"))
                tls.certificateFile = try tlsNode.string("cert_file")
                tls.keyFile = try tlsNode.string("key_file")
                if let version = try tlsNode.string("version") {
                    guard ["tlsv1.2", "tlsv1.3"].contains(version) else {
                        throw .invalidValue(path: "broker.tls.version", expected: "tlsv1.2 or tlsv1.3")
                    }
                    tls.version = version
                }
                guard (tls.certificateFile == nil) == (tls.keyFile == nil) else {
                    throw .missingKey(path: tls.certificateFile == nil ? "broker.tls.cert_file" : "broker.tls.key_file")
                }
                try tlsNode.finish()
                config.broker.tls = tls
            }
            try brokerNode.finish()
        }
        if var ingestNode = try root.node("ingest") {
            if let shared = try ingestNode.bool("shared") { config.ingest.shared = shared }
            if let batch = try ingestNode.int("batch_max_messages", in: 1...100_000) { config.ingest.batchMaxMessages = batch }
            if let interval = try ingestNode.int("ack_interval_ms", in: 10...60_000) { config.ingest.ackIntervalMs = interval }
            if let buffer = try ingestNode.int("incoming_buffer", in: 1_000...10_000_000) { config.ingest.incomingBuffer = buffer }
            if let future = try ingestNode.int("max_future_s", in: 0...31_536_000) { config.ingest.maxFutureMs = Int64(future) * 1_000 }
            if let age = try ingestNode.int("max_age_days", in: 1...36_500) { config.ingest.maxAgeMs = Int64(age) * 86_400_000 }
            if let skew = try ingestNode.int("max_clock_skew_s", in: 1...86_400) { config.ingest.maxClockSkewMs = Int64(skew) * 1_000 }
            try ingestNode.finish()
        }
        if var alarmsNode = try root.node("alarms") {
            config.alarms = try AlarmSettings.parse(&alarmsNode)
            try alarmsNode.finish()
        }
        if var rolloutNode = try root.node("rollout") {
            config.rollout = try RolloutSettings.parse(&rolloutNode)
            try rolloutNode.finish()
        }
        try sections(&root)
        try root.finish()
        return config
    }

    /// The topic scheme of ``topicPrefix`` (validated by ``parse(yaml:)``).
    public var topicScheme: TopicScheme {
        get throws(TopicError) { try TopicScheme(prefix: topicPrefix) }
    }

    /// The MQTT client configuration of one of the hub's publishing connections (`rollout`, `alarms`): client id
    /// and user name `<broker>-<role>` with the same password, and a clean session. A production broker binds
    /// client ids to user names (`use_username_as_clientid`), so each connection has its own user (created by
    /// deploy/make-credentials) rather than disconnecting the ingest connection.
    public func publisherMQTTConfiguration(role: String) -> MQTTConfiguration {
        var mqtt = mqttConfiguration()
        mqtt.clientID = broker.clientID + "-" + role
        mqtt.credentials?.username += "-" + role
        mqtt.cleanStart = true
        mqtt.sessionExpiry = 0
        return mqtt
    }

    /// The MQTT client configuration for ingest.
    public func mqttConfiguration() -> MQTTConfiguration {
        var limits = MQTTLimits()
        limits.incomingBuffer = ingest.incomingBuffer
        // A persistent session: messages published while the hub restarts are queued by the broker,
        // not lost, so a crashed hub catches up without waiting for every agent to reconnect.
        return MQTTConfiguration(
            host: broker.host, port: Int32(broker.port), clientID: broker.clientID, cleanStart: broker.sessionExpirySeconds == 0,
            sessionExpiry: UInt32(broker.sessionExpirySeconds), credentials: broker.credentials, tls: broker.tls, limits: limits)
    }
}
