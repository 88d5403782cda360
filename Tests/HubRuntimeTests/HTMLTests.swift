import Testing

@testable import HubWeb

/// Pages are `HTML`: literal markup is kept, every interpolated value is escaped unless it is `HTML`.
@Suite struct HTMLTests {
    static let hostile = #"<script>alert("x's")</script> & more"#

    @Test func interpolatedTextIsEscapedAndMarkupIsKept() {
        let cell: HTML = "<td title=\"\(Self.hostile)\">\(Self.hostile)</td>"
        let escaped = "&lt;script&gt;alert(&quot;x&#39;s&quot;)&lt;/script&gt; &amp; more"
        #expect(cell.rendered == "<td title=\"\(escaped)\">\(escaped)</td>")
        let row: HTML = "<tr>\(cell)</tr>"
        #expect(row.rendered == "<tr><td title=\"\(escaped)\">\(escaped)</td></tr>", "HTML is not escaped twice")
        let substring: HTML = "\(Self.hostile.prefix(8))"
        #expect(substring.rendered == "&lt;script&gt;")
    }

    @Test func numbersComponentsAndJoining() {
        let count = 42
        let ratio = 0.5
        let link: HTML = "<a href=\"/assets/\(component: "werk süd/1")?n=\(count)&r=\(ratio)\">x</a>"
        #expect(link.rendered == "<a href=\"/assets/werk%20s%C3%BCd%2F1?n=42&r=0.5\">x</a>")
        let items = ["a<b", "c"].map { (item) -> HTML in "<li>\(item)</li>" }
        #expect(items.joined().rendered == "<li>a&lt;b</li><li>c</li>")
        #expect(items.joined(separator: " · ").rendered == "<li>a&lt;b</li> · <li>c</li>")
        var page: HTML = "<ul>"
        page += items.joined() + "</ul>"
        #expect(page.rendered == "<ul><li>a&lt;b</li><li>c</li></ul>")
    }
}
