import HubCore

/// The plant overview on the fleet page: every asset as one small cell coloured by its state,
/// grouped by site and line, each cell a link to the asset's page with the asset id as its tooltip.
///
/// One query (``HubStore/assetOverview(site:line:limit:)``) and about 70 bytes of HTML per asset, so
/// 10,000 assets are one page of about 0.7 MB; past ``HubStore/overviewLimit`` the page says how
/// many more there are and links to the sites.
struct PlantOverview {
    let overview: AssetOverview

    /// The overview as a `<section id="overview">`.
    func render() -> HTML {
        var counts: [AssetState?: Int] = [:]
        for entry in overview.entries { counts[entry.state, default: 0] += 1 }
        var html: HTML = "<section id=\"overview\"><h3>Plant overview: \(overview.total) assets by state</h3><p class=\"legend\">"
        for state in [AssetState.alarm, .warning, .normal] as [AssetState?] + [nil] {
            html += "<span class=\"cell \(Self.cssClass(state))\"></span> \(Self.name(state)) \(counts[state] ?? 0) "
        }
        html += "</p>"
        var index = overview.entries.startIndex
        while index < overview.entries.endIndex {
            let site = overview.entries[index].site
            html +=
                "<div class=\"site\"><h4><a href=\"/?level=site&key=\(component: site)\">\(site)</a></h4>"
            while index < overview.entries.endIndex, overview.entries[index].site == site {
                let line = overview.entries[index].line
                let end = overview.entries[index...].firstIndex { $0.site != site || $0.line != line } ?? overview.entries.endIndex
                html += Self.line(site: site, line: line, overview.entries[index..<end])
                index = end
            }
            html += "</div>"
        }
        if overview.entries.isEmpty { html += "<p class=\"empty\">No assets.</p>" }
        let more = overview.total - overview.entries.count
        if more > 0 {
            html += "<p class=\"note\" id=\"overview-more\">\(more) more assets not drawn: choose a site above to see them.</p>"
        }
        return html + "</section>"
    }

    /// One line's row: its name, counts of assets not normal, and its cells.
    private static func line(site: String, line: String, _ entries: ArraySlice<AssetOverviewEntry>) -> HTML {
        let alarms = entries.count { $0.state == .alarm }
        let warnings = entries.count { $0.state == .warning }
        var html: HTML =
            "<div class=\"line\"><span class=\"line-name\"><a href=\"/?level=line&key=\(component: site + "/" + line)\">"
            + "\(line)</a> \(entries.count)"
        if alarms > 0 { html += " · <span class=\"state-alarm\">\(alarms) alarm</span>" }
        if warnings > 0 { html += " · <span class=\"state-warning\">\(warnings) warning</span>" }
        html += "</span><div class=\"cells\">"
        let base: HTML = "/assets/\(component: site)/"
        for entry in entries {
            let title = entry.state == .normal ? entry.assetID : "\(entry.assetID): \(name(entry.state))"
            html +=
                "<a class=\"\(cssClass(entry.state))\" href=\"\(base)\(component: entry.assetID)\" title=\"\(title)\"></a>"
        }
        return html + "</div></div>"
    }

    private static func cssClass(_ state: AssetState?) -> String { "s-" + (state?.name ?? "none") }

    private static func name(_ state: AssetState?) -> String { state?.name ?? "no verdict yet" }
}
