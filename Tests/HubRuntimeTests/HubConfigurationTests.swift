import BrokerSupport
import ConfigSchema
import Foundation
import HubCore
import Testing

@Suite struct HubConfigurationTests {
    static let minimal = """
        storage:
          database: /tmp/hub.sqlite
          clip_dir: /tmp/clips
        http:
          token: secret
        """

    @Test func deployExampleParsesWithEveryKey() throws {
        let path = TestFiles.repositoryRoot.appendingPathComponent("deploy/hub.yaml").path
        let config = try HubConfiguration.load(path: path)
        #expect(config.ingest.shared)
        #expect(config.broker.port == 8883)
        #expect(config.broker.tls?.caFile == "/etc/earshot/ca.crt")
        #expect(config.broker.credentials?.username == "hub-1")
        #expect(config.storage.retention.rawVerdictsMs == 30 * 86_400_000)
        #expect(config.storage.retention.clipsMs == 90 * 86_400_000)
        #expect(config.http.port == 8080)
        #expect(try config.topicScheme.prefix == "earshot/v1/{site}")
        #expect(config.storage.modelDirectory == "/var/lib/earshot/models")
        #expect(config.rollout.defaults.stages == [5, 25, 100] && config.rollout.defaults.soakMs == 600_000)
        let fan = config.rollout.plan(family: "fan-ae")
        #expect(fan.stages == [10, 50, 100] && fan.soakMs == 1_800_000 && fan.minCanaryVerdicts == 20, "unset keys from defaults")
        #expect(config.rollout.plan(family: "pump-ae") == config.rollout.defaults)
    }

    @Test func minimalConfigTakesDefaults() throws {
        let config = try HubConfiguration.parse(yaml: Self.minimal)
        #expect(!config.ingest.shared)
        #expect(config.ingest.ackIntervalMs == 200)
        #expect(config.broker.host == "127.0.0.1")
        #expect(config.http.token == "secret")
        #expect(config.storage.retention == .standard)
    }

    @Test(arguments: [
        ("bogus: 1\n", "bogus"),
        ("broker:\n  hots: x\n", "broker.hots"),
        ("broker:\n  tls:\n    ca_file: /x\n    ca_fil: /y\n", "broker.tls.ca_fil"),
        ("ingest:\n  shard: true\n", "ingest.shard"),
        ("http2:\n  port: 1\n", "http2"),
        ("rollout:\n  tick: 1\n", "rollout.tick"),
        ("rollout:\n  families:\n    fan-ae: {soak_s: 3}\n", "rollout.families.fan-ae.soak_s"),
    ])
    func unknownKeyIsNamed(extra: String, path: String) throws {
        #expect(throws: ConfigError.unknownKey(path: path)) {
            try HubConfiguration.parse(yaml: Self.minimal + "\n" + extra)
        }
    }

    @Test(arguments: [
        ("http:\n  token: t\n", "http"),
        ("broker:\n  host: a\n  host: b\n", "broker.host"),
    ])
    func aKeyGivenTwiceIsNamed(extra: String, path: String) throws {
        #expect(throws: ConfigError.duplicateKey(path: path)) {
            try HubConfiguration.parse(yaml: Self.minimal + "\n" + extra)
        }
    }

    @Test func missingRequiredKeysAreNamed() throws {
        #expect(throws: ConfigError.missingKey(path: "http.token")) {
            try HubConfiguration.parse(yaml: "storage:\n  database: a\n  clip_dir: b\nhttp:\n  port: 1\n")
        }
        #expect(throws: ConfigError.missingKey(path: "storage")) {
            try HubConfiguration.parse(yaml: "http:\n  token: t\n")
        }
        #expect(throws: ConfigError.missingKey(path: "broker.password")) {
            try HubConfiguration.parse(yaml: Self.minimal + "\nbroker:\n  username: hub\n")
        }
    }

    @Test(arguments: [
        ("http:\n  token: t\n  port: 70000\n", "http.port"),
        ("http:\n  token: t\n  header_timeout_s: 0\n", "http.header_timeout_s"),
        ("http:\n  token: t\n  body_timeout_s: 3601\n", "http.body_timeout_s"),
        ("http:\n  token: t\n  idle_timeout_s: soon\n", "http.idle_timeout_s"),
        ("broker:\n  port: eighty\n", "broker.port"),
        ("ingest:\n  shared: maybe\n", "ingest.shared"),
        ("topic_prefix: \"a/+/b\"\n", "topic_prefix"),
        ("rollout:\n  defaults: {stages: \"50,25,100\"}\n", "rollout.defaults.stages"),
        ("rollout:\n  defaults: {soak: soon}\n", "rollout.defaults.soak"),
        ("rollout:\n  defaults: {min_install_success: 2}\n", "rollout.defaults.min_install_success"),
        ("alarms:\n  raise_on: normal\n", "alarms.raise_on"),
        ("alarms:\n  max_shelve_hours: 0\n", "alarms.max_shelve_hours"),
        ("alarms:\n  agent_offline_after_s: 9223372036854775807\n", "alarms.agent_offline_after_s"),
        ("alarms:\n  spool_depth_limit: -1\n", "alarms.spool_depth_limit"),
        ("alarms:\n  spool_growth_window_s: 5\n", "alarms.spool_growth_window_s"),
        ("alarms:\n  webhooks: {name: a}\n", "alarms.webhooks"),
        ("alarms:\n  webhooks:\n    - {name: \"a b\", url: \"http://h/x\", secret: 0123456789abcdef}\n", "alarms.webhooks[0].name"),
        ("alarms:\n  webhooks:\n    - {name: a, url: \"ftp://h/x\", secret: 0123456789abcdef}\n", "alarms.webhooks[0].url"),
        ("alarms:\n  webhooks:\n    - {name: a, url: \"http://h/x\", secret: short}\n", "alarms.webhooks[0].secret"),
        (
            "alarms:\n  webhooks:\n    - {name: a, url: \"http://h/x\", secret: 0123456789abcdef, min_severity: low}\n",
            "alarms.webhooks[0].min_severity"
        ),
        (
            "alarms:\n  webhooks:\n    - {name: a, url: \"http://h/x\", secret: 0123456789abcdef, timeout_s: 61}\n",
            "alarms.webhooks[0].timeout_s"
        ),
        (
            "alarms:\n  webhooks:\n    - {name: a, url: \"http://h/x\", secret: 0123456789abcdef}\n    - {name: a, url: \"http://h/y\", secret: 0123456789abcdef}\n",
            "alarms.webhooks[1].name"
        ),
    ])
    func invalidValuesAreNamed(override: String, path: String) throws {
        let base = override.hasPrefix("http:") ? "storage:\n  database: a\n  clip_dir: b\n" : Self.minimal + "\n"
        do {
            _ = try HubConfiguration.parse(yaml: base + override)
            Issue.record("accepted an invalid \(path)")
        } catch {
            guard case .invalidValue(let reported, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(reported == path)
        }
    }

    @Test func alarmSettingsHaveDefaultsAndAreRead() throws {
        let defaults = try HubConfiguration.parse(yaml: Self.minimal)
        #expect(defaults.alarms == AlarmSettings())
        #expect(defaults.alarms.raiseOn == .alarm && defaults.alarms.webhooks.isEmpty && defaults.alarms.publishesMQTT)
        let yaml =
            Self.minimal + """

                alarms:
                  raise_on: warning
                  max_shelve_hours: 24
                  check_interval_s: 5
                  agent_offline_after_s: 60
                  asset_silent_after_s: 120
                  spool_depth_limit: 500
                  spool_growth_window_s: 120
                  spool_growth_messages: 50
                  mqtt: false
                  webhooks:
                    - name: maintenance
                      url: "https://hooks.example/earshot"
                      secret: 0123456789abcdef
                      sites: [plant-a, plant-b]
                      min_severity: alarm
                      timeout_s: 3
                """
        let alarms = try HubConfiguration.parse(yaml: yaml).alarms
        #expect(alarms.raiseOn == .warning && alarms.maxShelveMs == 24 * 3_600_000 && alarms.checkIntervalSeconds == 5)
        #expect(alarms.agentOfflineAfterMs == 60_000 && alarms.assetSilentAfterMs == 120_000 && alarms.spoolDepthLimit == 500)
        #expect(alarms.spoolGrowthWindowMs == 120_000 && alarms.spoolGrowthMessages == 50)
        #expect(!alarms.publishesMQTT && alarms.webhooks.count == 1)
        let route = try #require(alarms.webhooks.first)
        #expect(route.name == "maintenance" && route.url.absoluteString == "https://hooks.example/earshot" && route.timeoutSeconds == 3)
        #expect(route.sites == ["plant-a", "plant-b"] && route.minSeverity == .alarm)
        #expect(route.accepts(site: "plant-a", severity: .alarm) && !route.accepts(site: "plant-a", severity: .warning))
        #expect(!route.accepts(site: "plant-c", severity: .alarm))
    }

    @Test func httpTimeoutsHaveDefaultsAndAreRead() throws {
        let defaults = try HubConfiguration.parse(yaml: "storage:\n  database: a\n  clip_dir: b\nhttp:\n  token: t\n")
        #expect(
            defaults.http.headerTimeoutSeconds == 10 && defaults.http.bodyTimeoutSeconds == 60 && defaults.http.idleTimeoutSeconds == 60)
        let set = try HubConfiguration.parse(
            yaml:
                "storage:\n  database: a\n  clip_dir: b\nhttp:\n  token: t\n  header_timeout_s: 5\n  body_timeout_s: 20\n  idle_timeout_s: 30\n"
        )
        #expect(set.http.headerTimeoutSeconds == 5 && set.http.bodyTimeoutSeconds == 20 && set.http.idleTimeoutSeconds == 30)
    }
}
