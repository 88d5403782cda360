import ConfigSchema
import Testing

@Suite struct ConfigNodeTests {
    private enum Color: String, CaseIterable { case red, green }

    @Test func readsTypedValuesAndNestedSections() throws {
        var root = try ConfigNode(
            yaml: """
                name: edge
                port: 1883
                ratio: 0.5
                whole: 2
                enabled: true
                color: green
                tags: [a, b]
                section:
                  inner: 7
                items:
                  - id: one
                  - id: two
                """)
        #expect(try root.string("name") == "edge")
        #expect(try root.int("port", in: 1...65_535) == 1883)
        #expect(try root.double("ratio", in: 0...1) == 0.5)
        #expect(try root.double("whole", in: 0...10) == 2)
        #expect(try root.bool("enabled") == true)
        #expect(try root.choice("color", of: Color.self) == .green)
        #expect(try root.stringList("tags") == ["a", "b"])
        var section = try #require(try root.node("section"))
        #expect(section.path == "section")
        #expect(try section.int("inner", in: 0...10) == 7)
        try section.finish()
        let items = try #require(try root.nodeList("items"))
        #expect(items.map(\.path) == ["items[0]", "items[1]"])
        for var item in items {
            _ = try item.requiredString("id")
            try item.finish()
        }
        #expect(try root.string("absent") == nil)
        try root.finish()
    }

    @Test func nullReadsAsAbsent() throws {
        var root = try ConfigNode(yaml: "a: ~\nb: null\n")
        #expect(try root.string("a") == nil)
        #expect(try root.node("b") == nil)
        try root.finish()
    }

    @Test func unknownKeysNameTheirFullPath() throws {
        var root = try ConfigNode(yaml: "known: 1\ntop: 1\nsection:\n  typo: 2\nitems:\n  - id: a\n  - typo: 1\n")
        _ = try root.int("known", in: 0...9)
        let section = try #require(try root.node("section"))
        #expect(throws: ConfigError.unknownKey(path: "section.typo")) { try section.finish() }
        let items = try #require(try root.nodeList("items"))
        #expect(throws: ConfigError.unknownKey(path: "items[1].typo")) { try items[1].finish() }
        #expect(throws: ConfigError.unknownKey(path: "top")) { try root.finish() }
    }

    @Test func badValuesNameTheirPath() throws {
        var root = try ConfigNode(yaml: "port: -1\nflag: yes please\nn: 1.5\nsection: 3\ncolor: blue\nlist: [1, 2]\nname: true\n")
        #expect(throws: ConfigError.invalidValue(path: "port", expected: "an integer in 1...65535")) {
            try root.int("port", in: 1...65_535)
        }
        #expect(throws: ConfigError.invalidValue(path: "flag", expected: "true or false")) { try root.bool("flag") }
        #expect(throws: ConfigError.invalidValue(path: "n", expected: "an integer in 0...9")) { try root.int("n", in: 0...9) }
        #expect(throws: ConfigError.invalidValue(path: "section", expected: "a mapping")) { try root.node("section") }
        #expect(throws: ConfigError.invalidValue(path: "color", expected: "one of red, green")) { try root.choice("color", of: Color.self) }
        #expect(throws: ConfigError.invalidValue(path: "list[0]", expected: "a non-empty string")) { try root.stringList("list") }
        #expect(throws: ConfigError.invalidValue(path: "name", expected: "a string")) { try root.string("name") }
        #expect(throws: ConfigError.missingKey(path: "required")) { try root.requiredString("required") }
    }

    @Test(arguments: [
        ("a: 1\nb: 2\na: 3\n", "a"),
        ("s:\n  x: 1\n  x: 2\n", "s.x"),
        ("s:\n  t:\n    x: 1\n    x: 1\n", "s.t.x"),
        ("items:\n  - id: a\n  - id: b\n    id: c\n", "items[1].id"),
        ("'a': 1\na: 2\n", "a"),
    ])
    func aKeyGivenTwiceIsRefusedNamingItsPath(yaml: String, path: String) {
        #expect(throws: ConfigError.duplicateKey(path: path)) { try ConfigNode(yaml: yaml) }
        #expect(ConfigError.duplicateKey(path: path).keyPath == path)
        #expect(ConfigError.duplicateKey(path: path).description == "duplicate key '\(path)' in config")
    }

    @Test func theSameKeyInDifferentMappingsIsNoDuplicate() throws {
        var root = try ConfigNode(yaml: "a: {x: 1}\nb: {x: 2}\nitems: [{x: 1}, {x: 2}]\n")
        var a = try #require(try root.node("a"))
        var b = try #require(try root.node("b"))
        #expect(try a.int("x", in: 0...9) == 1 && b.int("x", in: 0...9) == 2)
        #expect(try root.nodeList("items")?.count == 2)
    }

    @Test(arguments: ["", "- a\n- b\n", "a: [unclosed\n"])
    func documentMustBeAMapping(yaml: String) {
        #expect {
            _ = try ConfigNode(yaml: yaml)
        } throws: { error in
            guard case .invalidYAML = error as? ConfigError else { return false }
            return true
        }
    }

    @Test func unreadableFileIsReported() {
        #expect {
            _ = try ConfigNode.text(ofFile: "/nonexistent/earshot.yaml")
        } throws: { error in
            guard case .unreadable(let path, _) = error as? ConfigError else { return false }
            return path == "/nonexistent/earshot.yaml"
        }
    }
}
