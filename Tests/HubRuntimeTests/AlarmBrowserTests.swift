import BrokerSupport
import Foundation
import TestSupport
import Testing

@testable import HubAlarms
@testable import HubCore

/// The alarm flows in a real headless browser against a running hub: sign in, then acknowledge,
/// shelve and close an alarm with the pages' own forms (real form POSTs with the session cookie, the
/// CSRF field and the browser's `Origin`), each landing in the store; screenshots of the list and the
/// alarm page as the signed-in operator sees them are saved under `.build/test-artifacts/`.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "needs /usr/bin/chromium"))
struct AlarmBrowserTests {
    /// Fills the form `id` on the current page with `fields`, submits it, and returns once the browser
    /// has followed the answer to a new page.
    static func submit(_ browser: HeadlessChromium, session: String, form id: String, _ fields: [String: String]) async throws -> Any? {
        let assignments = fields.map { "form.elements['\($0.key)'].value = '\($0.value)';" }.joined(separator: " ")
        return try await browser.evaluate(
            """
            (() => {
              const form = document.getElementById('\(id)');
              if (!form) return 'no form \(id)';
              \(assignments)
              form.querySelector('button[type=submit]').click();
              return 'submitted';
            })()
            """, session: session)
    }

    /// The alarm page's text once `condition` (a script expression) holds, or nil; a safety bound, not a timing assertion.
    static func reload(_ browser: HeadlessChromium, _ url: String, until condition: String) async throws -> String? {
        for _ in 0..<50 {
            let page = try await browser.open(url)
            if let text = try await browser.evaluate("(\(condition)) ? document.body.innerText : null", session: page) as? String {
                return text
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }

    @Test func acknowledgeShelveAndCloseWithThePagesForms() async throws {
        let hub = try HubFixture()
        try await DashboardBrowserTests.withFilledHub(hub) { base in
            let browser = try HeadlessChromium(profileDirectory: hub.directory.path("chromium-profile"))
            let anonymous = try await browser.open(base + "/alarms/1")
            #expect(try await browser.evaluate("!!document.getElementById('alarm-sign-in')", session: anonymous) as? Bool == true)
            let login = try await browser.open(base + "/login?next=/alarms/1")
            #expect(try await Self.submit(browser, session: login, form: "login", ["token": HubFixture.token]) as? String == "submitted")
            _ = try #require(try await Self.reload(browser, base + "/alarms/1", until: "document.getElementById('alarm-acknowledge')"))

            let page = try await browser.open(base + "/alarms/1")
            #expect(
                try await Self.submit(browser, session: page, form: "alarm-acknowledge", ["actor": "Ana Ops", "note": "<b>on site</b>"])
                    as? String == "submitted")
            _ = try #require(try await Self.reload(browser, base + "/alarms/1", until: "!document.getElementById('alarm-acknowledge')"))
            #expect(try hub.store.alarm(1)?.state == .activeAcknowledged)
            #expect(try hub.store.alarm(1)?.transitions?.last?.actor == "Ana Ops")

            let shelving = try await browser.open(base + "/alarms/1")
            _ = try await Self.submit(
                browser, session: shelving, form: "alarm-shelve", ["actor": "Ana Ops", "hours": "2", "note": "bearing swap"])
            let shelved = try #require(
                try await Self.reload(browser, base + "/alarms/1", until: "document.getElementById('alarm-unshelve')"))
            #expect(shelved.contains("shelved until"))
            #expect(try hub.store.alarm(1)?.isShelved(nowMs: Int64(Date().timeIntervalSince1970 * 1000)) == true)

            let artifacts = TestFiles.repositoryRoot.appendingPathComponent(".build/test-artifacts")
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            for (name, path) in [("alarm-detail.png", "/alarms/1"), ("alarms-list.png", "/alarms?state=all")] {
                let png = try await browser.screenshot(session: try await browser.open(base + path))
                try png.write(to: artifacts.appendingPathComponent(name))
                #expect(png.count > 10_000, "screenshot \(name) is blank")
            }

            let closing = try await browser.open(base + "/alarms/1")
            _ = try await Self.submit(
                browser, session: closing, form: "alarm-close",
                ["actor": "Ben Maint", "resolution": "fault_confirmed", "cause": "outer race wear", "action": "bearing replaced"])
            let closed = try #require(
                try await Self.reload(browser, base + "/alarms/1", until: "!document.querySelector('form.alarm-action')"))
            #expect(closed.contains("fault confirmed") && closed.contains("outer race wear"))
            #expect(closed.contains("<b>on site</b>"), "the note is shown as text, not markup")
            let alarm = try #require(try hub.store.alarm(1))
            #expect(alarm.state == .closed && alarm.resolution == .faultConfirmed && alarm.actionTaken == "bearing replaced")
            #expect(alarm.transitions?.map(\.action) == [.raise, .acknowledge, .shelve, .close])
            #expect(try hub.store.clip(agentID: "agent-a", seq: 10)?.label == "confirmed_anomaly", "closing labelled the alarm's clip")
        }
    }
}
