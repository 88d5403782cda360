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

    @Test func numbersWithoutARangeAreAnyFiniteValue() throws {
        var root = try ConfigNode(yaml: "n: -5\nbig: 1e300\nwhole: 3\nhalf: 1.5\ninf: .inf\nnan: .nan\nflag: true\n")
        #expect(try root.int("n") == -5)
        #expect(try root.double("big") == 1e300)
        #expect(try root.double("whole") == 3)
        #expect(throws: ConfigError.invalidValue(path: "half", expected: "an integer")) { try root.int("half") }
        #expect(throws: ConfigError.invalidValue(path: "inf", expected: "a finite number")) { try root.double("inf") }
        #expect(throws: ConfigError.invalidValue(path: "nan", expected: "a finite number")) { try root.double("nan") }
        #expect(throws: ConfigError.invalidValue(path: "flag", expected: "a finite number")) { try root.double("flag") }
        #expect(throws: ConfigError.invalidValue(path: "inf", expected: "a number in 0.0...1.0")) { try root.double("inf", in: 0...1) }
        #expect(try root.int("absent") == nil && root.double("absent") == nil)
        try root.finish()
    }

    @Test func numberListsNameTheBadElement() throws {
        var root = try ConfigNode(yaml: "snr: [10, 2.5, -3]\nempty: []\nword: [1, x]\nnan: [.nan]\nflag: [true]\nscalar: 3\n")
        #expect(try root.doubleList("snr") == [10, 2.5, -3])
        #expect(try root.doubleList("empty") == [])
        #expect(try root.doubleList("absent") == nil)
        #expect(throws: ConfigError.invalidValue(path: "word[1]", expected: "a finite number")) { try root.doubleList("word") }
        #expect(throws: ConfigError.invalidValue(path: "nan[0]", expected: "a finite number")) { try root.doubleList("nan") }
        #expect(throws: ConfigError.invalidValue(path: "flag[0]", expected: "a finite number")) { try root.doubleList("flag") }
        #expect(throws: ConfigError.invalidValue(path: "scalar", expected: "a list of numbers")) { try root.doubleList("scalar") }
        try root.finish()
    }

    @Test func requiredMakesAnyAccessorsKeyRequired() throws {
        var root = try ConfigNode(yaml: "section:\n  color: red\n  xs: [1]\n")
        var section = try #require(try root.node("section"))
        #expect(try section.required(section.choice("color", of: Color.self), "color") == .red)
        #expect(try section.required(section.doubleList("xs"), "xs") == [1])
        #expect(throws: ConfigError.missingKey(path: "section.level")) { try section.required(section.int("level"), "level") }
        try section.finish()
        try root.finish()
    }

    @Test func choicesIgnoreCaseAndABooleanIsToldToBeQuoted() throws {
        var root = try ConfigNode(yaml: "upper: GREEN\nmixed: Red\nbare: No\nquoted: 'No'\n")
        #expect(try root.choice("upper", of: Color.self) == .green)
        #expect(try root.choice("mixed", of: Color.self) == .red)
        #expect(
            throws: ConfigError.invalidValue(
                path: "bare", expected: "one of red, green (quoted: YAML reads a bare yes, no, on or off as a boolean)")
        ) { try root.choice("bare", of: Color.self) }
        #expect(throws: ConfigError.invalidValue(path: "quoted", expected: "one of red, green")) {
            try root.choice("quoted", of: Color.self)
        }
        try root.finish()
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

    /// A key that is a list or a mapping (found by `scripts/fuzz config`): Yams traps building the dictionary
    /// (`Constructor.swift`, a forced unwrap of the key as a string), so it is refused before, naming where.
    @Test(arguments: [
        ("? [a, b]\n: 1\n", "at the top level"),
        ("s:\n  ? {x: 1}\n  : 2\n", "under s"),
        ("items:\n  - {[1, 2]: 3}\n", "under items[0]"),
    ])
    func aKeyThatIsAListOrAMappingIsRefused(yaml: String, place: String) {
        #expect(throws: ConfigError.invalidYAML(reason: "a key \(place) is a list or a mapping")) { try ConfigNode(yaml: yaml) }
    }

    /// A YAML 1.1 base-60 number (found by `scripts/fuzz config`): Yams computes `2222222222222222222:22`, or
    /// any twelve parts (60¹¹ > 2⁶³), in `Int` arithmetic that traps on overflow, so every one is refused
    /// before Yams reads it; quoted, the same text is a string.
    @Test(arguments: [
        ("pretrained: 2222222222222222222:22\n", "pretrained"),
        ("a: {b: [1, 1:1:1:1:1:1:1:1:1:1:1:1]}\n", "a.b[1]"),
        ("t: 1:30\n", "t"),
        ("t: -1:30.5\n", "t"),
    ])
    func aBase60NumberIsRefused(yaml: String, path: String) throws {
        #expect {
            _ = try ConfigNode(yaml: yaml)
        } throws: { error in
            guard case .invalidYAML(let reason) = error as? ConfigError else { return false }
            return reason.hasPrefix("\(path): ") && reason.hasSuffix("is a base-60 number; quote it if it is text")
        }
        var quoted = try ConfigNode(yaml: "t: '1:30'\n")
        #expect(try quoted.string("t") == "1:30")
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
