import ConfigSchema
import Inference
import Logging
import Wire

/// Everything `earshot-agent --config agent.yaml` reads. See `docs/agent.md` ("Configuration") for
/// every key and `deploy/agent.yaml` for an example. Parsing validates every key once; an unknown
/// key, a missing required key or a bad value is a `ConfigError` naming its dotted path.
///
/// Parsing does not touch the filesystem beyond the config file itself: key files, the password
/// file and inputs are opened when the agent starts, so errors there name the file, not the key.
///
/// `Sendable`: a value type.
public struct AgentConfiguration: Sendable, Equatable {
    /// Who this agent is (`agent.*`); all three are topic identifiers.
    public struct Identity: Sendable, Equatable {
        /// `agent.id`: unique per agent; the MQTT topic segment and default client id.
        public var id: String
        /// `agent.site`: the plant, the `{site}` of the topic prefix.
        public var site: String
        /// `agent.line`: the production line within the site.
        public var line: String
        /// Creates an identity.
        public init(id: String, site: String, line: String) {
            self.id = id
            self.site = site
            self.line = line
        }
    }

    /// The broker connection (`broker.*`).
    public struct Broker: Sendable, Equatable {
        /// `broker.tls.*`: TLS to the broker; the client certificate is optional (both or neither).
        public struct TLS: Sendable, Equatable {
            /// `ca_file`: PEM CA certificate(s) that sign the broker's certificate.
            public var caFile: String
            /// `cert_file`: PEM client certificate.
            public var certificateFile: String?
            /// `key_file`: PEM client private key.
            public var keyFile: String?
            /// Creates TLS settings trusting `caFile`.
            public init(caFile: String) { self.caFile = caFile }
        }

        /// `broker.host`.
        public var host = "127.0.0.1"
        /// `broker.port`.
        public var port = 1883
        /// `broker.client_id`; defaults to `agent.id`.
        public var clientID: String
        /// `broker.username`.
        public var username: String?
        /// `broker.password` (inline); at most one of this and ``passwordFile``.
        public var password: String?
        /// `broker.password_file`: a file whose first line is the password (kept out of the config).
        public var passwordFile: String?
        /// `broker.tls`.
        public var tls: TLS?
        /// `broker.keepalive_s`: MQTT keepalive, in seconds.
        public var keepaliveSeconds = 30
        /// `broker.topic_prefix`: the topic prefix template, default `earshot/v1/{site}`.
        public var topicPrefix = TopicScheme.defaultPrefix
        /// Creates broker settings for an agent whose client id is `clientID`.
        public init(clientID: String) { self.clientID = clientID }

        /// The topic scheme of ``topicPrefix`` (validated by parsing).
        public var topicScheme: TopicScheme {
            get throws(TopicError) { try TopicScheme(prefix: topicPrefix) }
        }
    }

    /// Where models come from and live (`models.*`).
    public struct Models: Sendable, Equatable {
        /// `models.directory`: installed artifacts persist here, so a restart keeps the running model.
        public var directory = "/var/lib/earshot-agent/models"
        /// `models.hub_public_keys`: pinned Ed25519 public key files (as `earshot keygen` writes
        /// `signing.pub`); an artifact must be signed by one of them. Load with ``SigningKeyFile``.
        public var hubPublicKeyFiles: [String]
        /// `models.max_artifact_bytes`: larger artifacts are rejected before verification.
        public var maxArtifactBytes = ArtifactVerifier.defaultSizeLimit
        /// `models.initial`: model family → signed artifact file installed at first start when
        /// ``directory`` has no model of that family yet.
        public var initial: [String: String] = [:]
        /// Creates model settings pinning `hubPublicKeyFiles`.
        public init(hubPublicKeyFiles: [String]) { self.hubPublicKeyFiles = hubPublicKeyFiles }
    }

    /// Windowing (`window.*`).
    public struct Window: Sendable, Equatable {
        /// `window.hop_seconds`: seconds between window starts; `nil` uses the model's own hop.
        public var hopSeconds: Double?
        /// Creates windowing that follows the model.
        public init() {}
    }

    /// The per-asset alarm state machine (`alarm.*`).
    public struct Alarm: Sendable, Equatable {
        /// `alarm.warning_k`: anomalous windows among the last ``warningN`` that raise a warning.
        public var warningK = 3
        /// `alarm.warning_n`: the window count the warning rule looks back over.
        public var warningN = 5
        /// `alarm.alarm_after_windows`: consecutive windows in warning after which the state becomes alarm.
        public var alarmAfterWindows = 12
        /// Creates the default policy: 3 of 5 warns, 12 windows of warning alarms.
        public init() {}
        /// The range of `warning_k` and `warning_n`, windows (the config file and the hub's desired settings).
        public static let windowCountRange = 1...1_000
        /// The range of `alarm_after_windows`, windows.
        public static let alarmAfterWindowsRange = 1...1_000_000

        /// Checks that `warningK` ≤ `warningN` (each is range-checked where it is read).
        /// - Throws: `ConfigError.invalidValue` naming `path`.warning_k.
        public func checkOrder(path: String) throws(ConfigError) {
            guard warningK <= warningN else {
                throw .invalidValue(path: "\(path).warning_k", expected: "at most warning_n (\(warningN))")
            }
        }
    }

    /// Which audio clips are uploaded (`clips.*`).
    public struct Clips: Sendable, Equatable {
        /// `clips.upload_anomalies`: send the clip of every anomalous window (rate-limited).
        public var uploadAnomalies = true
        /// `clips.max_per_asset_per_hour`: the rate limit on anomaly and sampled clips per asset.
        public var maxPerAssetPerHour = 12
        /// `clips.normal_sample_probability`: chance that a normal window's clip is sent, for retraining.
        public var normalSampleProbability = 0.002
        /// `clips.seconds`: the length of an uploaded clip, in seconds.
        public var seconds = 10.0
        /// Creates the default clip policy.
        public init() {}
        /// The range of `max_per_asset_per_hour`, clips per hour.
        public static let maxPerAssetPerHourRange = 0...3_600
        /// The range of `normal_sample_probability`.
        public static let normalSampleProbabilityRange: ClosedRange<Double> = 0...1
        /// The range of `seconds`, seconds per clip.
        public static let secondsRange: ClosedRange<Double> = 0.1...600
    }

    /// Verdict batching (`batching.*`): a batch is published when either bound is reached.
    public struct Batching: Sendable, Equatable {
        /// `batching.max_verdicts`: most verdicts in one batch.
        public var maxVerdicts = 50
        /// `batching.interval_ms`: longest a verdict waits in a batch, in milliseconds.
        public var intervalMs = 1_000
        /// Creates the default batching.
        public init() {}
        /// The range of `max_verdicts`, verdicts per batch: up to what one message may carry.
        public static let maxVerdictsRange = 1...PayloadLimits.maxVerdictsPerBatch
        /// The range of `interval_ms`, milliseconds.
        public static let intervalMsRange = 1...3_600_000
    }

    /// The durable spool (`spool.*`).
    public struct SpoolSettings: Sendable, Equatable {
        /// `spool.path`: the SQLite file.
        public var path = "/var/lib/earshot-agent/spool.sqlite"
        /// `spool.max_bytes` and `spool.max_age_s`.
        public var limits = SpoolLimits.standard
        /// Creates the default spool settings.
        public init() {}
    }

    /// Log output (`logging.*`).
    public struct LogSettings: Sendable, Equatable {
        /// Log line layout.
        public enum Format: String, Sendable, Equatable, CaseIterable {
            /// Human-readable lines.
            case text
            /// One JSON object per line.
            case json
        }

        /// `logging.level`: `trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`.
        public var level = Logger.Level.info
        /// `logging.format`.
        public var format = Format.text
        /// Creates the default: info, text.
        public init() {}
    }

    /// `agent.*`.
    public var agent: Identity
    /// `assets`: at least one, ids unique.
    public var assets: [AssetConfiguration]
    /// `broker.*`.
    public var broker: Broker
    /// `models.*`.
    public var models: Models
    /// `window.*`.
    public var window = Window()
    /// `alarm.*`.
    public var alarm = Alarm()
    /// `clips.*`.
    public var clips = Clips()
    /// `batching.*`.
    public var batching = Batching()
    /// `spool.*`.
    public var spool = SpoolSettings()
    /// `status.interval_s`: seconds between periodic status messages.
    public var statusIntervalSeconds = defaultStatusIntervalSeconds
    /// The default of `status.interval_s`, seconds (simulated agents use it too).
    public static let defaultStatusIntervalSeconds = 60
    /// `logging.*`.
    public var logging = LogSettings()

    /// Creates a configuration with defaults for every optional key.
    public init(agent: Identity, assets: [AssetConfiguration], models: Models) {
        self.agent = agent
        self.assets = assets
        self.broker = Broker(clientID: agent.id)
        self.models = models
    }

    /// Reads and validates a YAML file.
    ///
    /// - Throws: `ConfigError` (``ConfigError/unreadable(path:reason:)`` when the file cannot be read).
    public static func load(path: String) throws(ConfigError) -> AgentConfiguration {
        try AgentConfiguration(yaml: try ConfigNode.text(ofFile: path))
    }
}
