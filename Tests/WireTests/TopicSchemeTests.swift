import Testing
import Wire

struct TopicSchemeTests {
    let scheme = try! TopicScheme()

    @Test(arguments: [TopicKind.status, .verdicts, .clips, .events, .acks, .desired])
    func agentTopicsRoundTrip(kind: TopicKind) throws {
        let topic = try scheme.topic(kind, site: "plant-a", agentID: "fan-01")
        #expect(topic == "earshot/v1/plant-a/agents/fan-01/\(kind.rawValue)")
        #expect(try scheme.parse(topic) == .agent(site: "plant-a", agentID: "fan-01", kind: kind))
    }

    @Test func modelTopicRoundTrips() throws {
        let topic = try scheme.modelTopic(site: "plant-a", family: "fan-ae", version: 12)
        #expect(topic == "earshot/v1/plant-a/models/fan-ae/12")
        #expect(try scheme.parse(topic) == .model(site: "plant-a", family: "fan-ae", version: 12))
    }

    @Test func customPrefixWithoutSite() throws {
        let custom = try TopicScheme(prefix: "factory/earshot")
        let topic = try custom.topic(.verdicts, site: "ignored", agentID: "a1")
        #expect(topic == "factory/earshot/agents/a1/verdicts")
        #expect(try custom.parse(topic) == .agent(site: "", agentID: "a1", kind: .verdicts))
    }

    @Test func customPrefixWithSiteInTheMiddle() throws {
        let custom = try TopicScheme(prefix: "acme/{site}/earshot")
        let topic = try custom.topic(.acks, site: "s1", agentID: "a1")
        #expect(topic == "acme/s1/earshot/agents/a1/acks")
        #expect(try custom.parse(topic).site == "s1")
    }

    @Test func filters() throws {
        #expect(try scheme.filter(.verdicts) == "earshot/v1/+/agents/+/verdicts")
        #expect(try scheme.filter(.desired, site: "p", agentID: "a") == "earshot/v1/p/agents/a/desired")
        #expect(try scheme.modelFilter(site: "p") == "earshot/v1/p/models/+/+")
        #expect(
            try scheme.sharedFilter(group: "earshot-hub", .verdicts, site: "p")
                == "$share/earshot-hub/earshot/v1/p/agents/+/verdicts")
    }

    @Test(arguments: ["", "a/b", "+", "#", "a+", "x#", "$sys", "tab\there", "nul\u{0}", String(repeating: "x", count: 129)])
    func invalidIdentifiersAreRejected(id: String) {
        #expect(throws: TopicError.self) { try scheme.topic(.status, site: "p", agentID: id) }
        #expect(throws: TopicError.self) { try scheme.topic(.status, site: id, agentID: "a") }
        #expect(throws: TopicError.self) { try scheme.modelTopic(site: "p", family: id, version: 1) }
    }

    @Test(arguments: [
        "earshot/v1/p/agents/a/unknown",
        "earshot/v1/p/agents/a/model",
        "earshot/v1/p/agents//status",
        "earshot/v1/p/agents/+/status",
        "earshot/v1/p/agents/#",
        "earshot/v1/+/agents/a/status",
        "earshot/v1/p/agents/a/status/extra",
        "earshot/v1/p/agents/a",
        "earshot/v2/p/agents/a/status",
        "other/v1/p/agents/a/status",
        "earshot/v1/p/models/fam/0",
        "earshot/v1/p/models/fam/-1",
        "earshot/v1/p/models/fam/1.5",
        "earshot/v1/p/models/fam/99999999999999999999999",
        "earshot/v1/p/models/+/1",
        "earshot/v1",
        "",
    ])
    func invalidTopicsAreRejected(topic: String) {
        #expect(throws: TopicError.self) { try scheme.parse(topic) }
    }

    @Test(arguments: ["", "a//b", "a/+/b", "#", "a/{site}/{site}", "a/x{site}"])
    func invalidPrefixesAreRejected(prefix: String) {
        #expect(throws: TopicError.self) { try TopicScheme(prefix: prefix) }
    }

    @Test func modelKindIsNotAnAgentTopic() {
        #expect(throws: TopicError.notAnAgentTopic(.model)) { try scheme.topic(.model, site: "p", agentID: "a") }
    }
}
