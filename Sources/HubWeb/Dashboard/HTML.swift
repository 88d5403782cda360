/// Markup that is safe to send. The literal parts of an `HTML` value are the page's own markup; every
/// value interpolated into it is escaped (``escape(_:)``) unless it is itself `HTML`, so a name an agent
/// or an operator chose can never become markup. Numbers are written as they are, and
/// `\(component: text)` percent-encodes a URL path segment or query value.
///
/// Every page of the dashboard is built this way: escaping is the default, not a call at each value.
///
/// `Sendable`: a value type.
public struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup.
    public private(set) var rendered: String

    /// The markup as written: a literal is the page's own.
    public init(stringLiteral value: String) {
        rendered = value
    }

    /// Literal markup with its values escaped.
    public init(stringInterpolation: Interpolation) {
        rendered = stringInterpolation.rendered
    }

    private init(rendered: String) {
        self.rendered = rendered
    }

    public var description: String { rendered }

    /// Builds `HTML` from a literal: values are escaped, `HTML` is kept as it is.
    public struct Interpolation: StringInterpolationProtocol {
        fileprivate var rendered = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            rendered.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) { rendered += literal }

        /// Markup, kept as it is.
        public mutating func appendInterpolation(_ html: HTML) { rendered += html.rendered }

        /// Text, escaped.
        public mutating func appendInterpolation(_ text: some StringProtocol) { rendered += HTML.escape(String(text)) }

        /// An integer, as digits.
        public mutating func appendInterpolation(_ number: some BinaryInteger) { rendered += String(number) }

        /// A number, as Swift writes it.
        public mutating func appendInterpolation(_ number: Double) { rendered += "\(number)" }

        /// One URL path segment or query value, percent-encoded (``HTML/component(_:)``).
        public mutating func appendInterpolation(component text: String) { rendered += HTML.component(text) }
    }

    /// `lhs` followed by `rhs`.
    public static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(rendered: lhs.rendered + rhs.rendered) }

    /// Appends `rhs`.
    public static func += (lhs: inout HTML, rhs: HTML) { lhs.rendered += rhs.rendered }

    /// Escapes text for element content and double-quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Percent-encodes one URL path segment or query value.
    public static func component(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// `ms` (Unix ms) as `MM-dd HH:mm` UTC, as every table of the dashboard shows times.
    public static func time(ms: Int64) -> String { SVGChart.time(Double(ms)) }
}

extension Sequence<HTML> {
    /// The fragments one after another, with `separator` between two.
    public func joined(separator: HTML = "") -> HTML {
        var result: HTML = ""
        for (index, fragment) in enumerated() {
            if index > 0 { result += separator }
            result += fragment
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
