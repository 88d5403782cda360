import AudioIO
import ConfigSchema
import Logging
import Wire

extension AgentConfiguration {
    /// Parses and validates YAML text: every key is checked, and an unknown key anywhere is an error.
    ///
    /// - Throws: `ConfigError` naming the offending key path.
    public init(yaml: String) throws(ConfigError) {
        var root = try ConfigNode(yaml: yaml)
        guard var agentNode = try root.node("agent") else { throw .missingKey(path: "agent") }
        let id = try Self.identifier(&agentNode, "id", role: "agent")
        let site = try Self.identifier(&agentNode, "site", role: "site")
        let line = try Self.identifier(&agentNode, "line", role: "line")
        try agentNode.finish()

        guard let assetNodes = try root.nodeList("assets"), !assetNodes.isEmpty else {
            throw .missingKey(path: "assets")
        }
        var assets: [AssetConfiguration] = []
        for var node in assetNodes {
            let asset = try Self.asset(&node)
            guard !assets.contains(where: { $0.id == asset.id }) else {
                throw .invalidValue(path: node.childPath("id"), expected: "an asset id not used by another asset")
            }
            assets.append(asset)
        }

        guard var modelsNode = try root.node("models") else { throw .missingKey(path: "models") }
        let models = try Self.models(&modelsNode)

        self.init(agent: Identity(id: id, site: site, line: line), assets: assets, models: models)
        if var node = try root.node("broker") { try parseBroker(&node) }
        if var node = try root.node("window") {
            window.hopSeconds = try node.double("hop_seconds", in: 0.01...3_600)
            try node.finish()
        }
        if var node = try root.node("alarm") { try parseAlarm(&node) }
        if var node = try root.node("clips") {
            if let upload = try node.bool("upload_anomalies") { clips.uploadAnomalies = upload }
            if let limit = try node.int("max_per_asset_per_hour", in: Clips.maxPerAssetPerHourRange) { clips.maxPerAssetPerHour = limit }
            if let p = try node.double("normal_sample_probability", in: Clips.normalSampleProbabilityRange) {
                clips.normalSampleProbability = p
            }
            if let seconds = try node.double("seconds", in: Clips.secondsRange) { clips.seconds = seconds }
            try node.finish()
        }
        if var node = try root.node("batching") {
            if let count = try node.int("max_verdicts", in: Batching.maxVerdictsRange) { batching.maxVerdicts = count }
            if let interval = try node.int("interval_ms", in: Batching.intervalMsRange) { batching.intervalMs = interval }
            try node.finish()
        }
        if var node = try root.node("spool") {
            if let path = try node.string("path") {
                guard !path.isEmpty else { throw .invalidValue(path: "spool.path", expected: "a file path") }
                spool.path = path
            }
            if let bytes = try node.int("max_bytes", in: (64 << 10)...(1 << 40)) { spool.limits.maxBytes = bytes }
            if let age = try node.int("max_age_s", in: 60...(10 * 365 * 86_400)) { spool.limits.maxRoutineAgeMs = Int64(age) * 1_000 }
            try node.finish()
        }
        if var node = try root.node("status") {
            if let interval = try node.int("interval_s", in: 1...86_400) { statusIntervalSeconds = interval }
            try node.finish()
        }
        if var node = try root.node("logging") {
            if let level = try node.choice("level", of: Logger.Level.self) { logging.level = level }
            if let format = try node.choice("format", of: LogSettings.Format.self) { logging.format = format }
            try node.finish()
        }
        try root.finish()
    }

    private static func identifier(_ node: inout ConfigNode, _ key: String, role: String) throws(ConfigError) -> String {
        let value = try node.requiredString(key)
        do {
            try TopicScheme.validate(value, role: role)
        } catch {
            throw .invalidValue(
                path: node.childPath(key),
                expected: "a topic identifier (at most 128 bytes, no '/', '+', '#', control characters or leading '$')")
        }
        return value
    }

    private static func asset(_ node: inout ConfigNode) throws(ConfigError) -> AssetConfiguration {
        let id = try identifier(&node, "id", role: "asset")
        guard let machineType = try node.choice("machine_type", of: AssetConfiguration.MachineType.self) else {
            throw .missingKey(path: node.childPath("machine_type"))
        }
        let family = try identifier(&node, "model_family", role: "family")
        guard var inputNode = try node.node("input") else { throw .missingKey(path: node.childPath("input")) }
        var input = AssetConfiguration.Input(path: try inputNode.requiredString("path"))
        if let loop = try inputNode.bool("loop") { input.loop = loop }
        if let pace = try inputNode.string("pace") {
            switch pace {
            case "realtime": input.pacing = .realTime
            case "fast": input.pacing = .asFastAsPossible
            default: throw .invalidValue(path: inputNode.childPath("pace"), expected: "realtime or fast")
            }
        }
        if var rawNode = try inputNode.node("raw") {
            input.raw = try rawFormat(&rawNode)
            try rawNode.finish()
        }
        try inputNode.finish()
        var asset = AssetConfiguration(id: id, machineType: machineType, modelFamily: family, input: input)
        if let channel = try node.string("channel") {
            if channel == "mean" {
                asset.channel = .mean
            } else if let index = Int(channel), (0...255).contains(index) {
                asset.channel = .channel(index)
            } else {
                throw .invalidValue(path: node.childPath("channel"), expected: "mean or a channel index in 0...255")
            }
        }
        if var learningNode = try node.node("learning") {
            guard let seconds = try learningNode.double("seconds", in: 1...Earshot_V1_AssetLearning.maxSeconds) else {
                throw .missingKey(path: learningNode.childPath("seconds"))
            }
            let probability = try learningNode.double("normal_sample_probability", in: 0...1) ?? 1
            asset.learning = AssetConfiguration.Learning(seconds: seconds, normalSampleProbability: probability)
            try learningNode.finish()
        }
        if case .channel(let index) = asset.channel, let raw = input.raw, index >= raw.channels {
            throw .invalidValue(path: node.childPath("channel"), expected: "a channel index below input.raw.channels (\(raw.channels))")
        }
        try node.finish()
        return asset
    }

    private static func rawFormat(_ node: inout ConfigNode) throws(ConfigError) -> RawPCMFormat {
        guard let rate = try node.int("sample_rate", in: 1_000...768_000) else { throw .missingKey(path: node.childPath("sample_rate")) }
        let channels = try node.int("channels", in: 1...64) ?? 1
        let encoding: AudioSampleEncoding
        switch try node.string("encoding") ?? "s16le" {
        case "s16le": encoding = .pcm16
        case "s24le": encoding = .pcm24
        case "s32le": encoding = .pcm32
        case "f32le": encoding = .float32
        default: throw .invalidValue(path: node.childPath("encoding"), expected: "s16le, s24le, s32le or f32le")
        }
        return RawPCMFormat(sampleRate: rate, channels: channels, encoding: encoding, endianness: .little)
    }

    private static func models(_ node: inout ConfigNode) throws(ConfigError) -> Models {
        guard let keys = try node.stringList("hub_public_keys"), !keys.isEmpty else {
            throw .missingKey(path: node.childPath("hub_public_keys"))
        }
        var models = Models(hubPublicKeyFiles: keys)
        if let directory = try node.string("directory") {
            guard !directory.isEmpty else { throw .invalidValue(path: node.childPath("directory"), expected: "a directory path") }
            models.directory = directory
        }
        if let limit = try node.int("max_artifact_bytes", in: 1_024...(1 << 30)) { models.maxArtifactBytes = limit }
        if var initial = try node.node("initial") {
            for family in initial.keys {
                do {
                    try TopicScheme.validate(family, role: "family")
                } catch {
                    throw .invalidValue(path: initial.childPath(family), expected: "a model family that is a topic identifier")
                }
                models.initial[family] = try initial.requiredString(family)
            }
            try initial.finish()
        }
        try node.finish()
        return models
    }

    private mutating func parseBroker(_ node: inout ConfigNode) throws(ConfigError) {
        if let host = try node.string("host") {
            guard !host.isEmpty else { throw .invalidValue(path: "broker.host", expected: "a host name or address") }
            broker.host = host
        }
        if let port = try node.int("port", in: 1...65_535) { broker.port = port }
        if let id = try node.string("client_id") {
            guard !id.isEmpty, id.utf8.count <= 65_535 else {
                throw .invalidValue(path: "broker.client_id", expected: "a non-empty string")
            }
            broker.clientID = id
        }
        broker.username = try node.string("username")
        broker.password = try node.string("password")
        broker.passwordFile = try node.string("password_file")
        if broker.password != nil, broker.passwordFile != nil {
            throw .invalidValue(path: "broker.password_file", expected: "either password or password_file, not both")
        }
        if broker.username == nil, broker.password != nil || broker.passwordFile != nil {
            throw .missingKey(path: "broker.username")
        }
        if var tlsNode = try node.node("tls") {
            var tls = Broker.TLS(caFile: try tlsNode.requiredString("ca_file"))
            tls.certificateFile = try tlsNode.string("cert_file")
            tls.keyFile = try tlsNode.string("key_file")
            guard (tls.certificateFile == nil) == (tls.keyFile == nil) else {
                throw .missingKey(path: tls.certificateFile == nil ? "broker.tls.cert_file" : "broker.tls.key_file")
            }
            try tlsNode.finish()
            broker.tls = tls
        }
        if let keepalive = try node.int("keepalive_s", in: 5...65_535) { broker.keepaliveSeconds = keepalive }
        if let prefix = try node.string("topic_prefix") {
            guard (try? TopicScheme(prefix: prefix)) != nil else {
                throw .invalidValue(path: "broker.topic_prefix", expected: "a topic prefix like earshot/v1/{site}")
            }
            broker.topicPrefix = prefix
        }
        try node.finish()
    }

    private mutating func parseAlarm(_ node: inout ConfigNode) throws(ConfigError) {
        if let k = try node.int("warning_k", in: Alarm.windowCountRange) { alarm.warningK = k }
        if let n = try node.int("warning_n", in: Alarm.windowCountRange) { alarm.warningN = n }
        if let after = try node.int("alarm_after_windows", in: Alarm.alarmAfterWindowsRange) { alarm.alarmAfterWindows = after }
        try alarm.checkOrder(path: "alarm")
        try node.finish()
    }
}
