import AudioIO
import Foundation
import HubCore
import Logging

/// The page `/assets/{site}/{asset}/clips/{agent}/{seq}`: one clip, what is unusual about it
/// (``ClipExplanation``: its spectrogram beside the asset's normal reference, the difference, the
/// bands that differ most with their frequencies, and when in the clip it differs), and the asset's
/// score trend over the last 30 days against its threshold.
///
/// The reference is the mean of the newest ``referenceLimit`` normal clips of the asset at the
/// clip's sample rate (`HubStore.normalReferenceClips(of:limit:)`); their profiles are cached by
/// SHA-256 (``ClipCache``), so a page view decodes the clip itself and only reference clips
/// not seen before. A clip that cannot be decoded or analysed, or an asset without normal clips,
/// gets a page that says so; undecodable clips (the explained one or a reference) count in
/// `earshot_hub_clip_decode_refused_total` and are logged.
///
/// `Sendable`: immutable references to thread-safe parts.
struct ClipExplanationPage: Sendable {
    let store: HubStore
    let profiles: ClipCache<[Float]>
    let metrics: HubMetrics
    let logger: Logger

    /// The most normal clips averaged into the reference, newest first.
    static let referenceLimit = 20
    /// Rows of the band table.
    static let bandRows = 8

    /// The page's body for `clip` of `asset`.
    func render(asset: AssetSummary, clip: ClipSummary) throws -> HTML {
        let sitePath: HTML = "/?level=site&key=\(component: asset.site)"
        let linePath: HTML = "/?level=line&key=\(component: asset.site + "/" + asset.line)"
        let assetPath: HTML = "/assets/\(component: asset.site)/\(component: asset.assetID)"
        var html: HTML =
            "<p><a href=\"/\">fleet</a> › <a href=\"\(sitePath)\">\(asset.site)</a> › "
            + "<a href=\"\(linePath)\">\(asset.line)</a> › <a href=\"\(assetPath)\">\(asset.assetID)</a> › clip \(clip.seq)</p>"
        html += "<div class=\"cards\">"
        for (name, value) in [
            ("clip start (UTC)", SVGChart.time(Double(clip.windowStartMs))), ("reason", clip.reason), ("label", clip.label ?? "—"),
            ("sample rate", "\(clip.sampleRate) Hz"), ("agent", clip.agentID),
        ] {
            html += "<div class=\"card\">\(name)<b>\(value)</b></div>"
        }
        html += "</div>"
        let audio: HTML = "/api/v1/clips/\(component: clip.agentID)/\(clip.seq)/audio.wav"
        html += "<p><audio controls preload=\"metadata\" src=\"\(audio)\"></audio></p>"
        html += "<h2>What is unusual about this clip</h2>" + (try explanation(of: clip))
        let threshold = try store.latestThreshold(site: asset.site, assetID: asset.assetID)
        return html + (try AssetCharts(store: store, asset: asset, threshold: threshold).trend())
    }

    /// The explanation section, or a paragraph `#explanation-missing` saying why there is none.
    private func explanation(of clip: ClipSummary) throws -> HTML {
        let analysed: ClipExplanation.Analysis
        do {
            analysed = try ClipExplanation.analyse(try store.decodedAudio(of: clip))
        } catch {
            count(error, clip: clip, role: "explained")
            return Self.missing(
                "This clip cannot be explained: its stored audio cannot be decoded or holds no audio to analyse.")
        }
        var profiles: [[Float]] = []
        var undecodable = 0
        for reference in try store.normalReferenceClips(of: clip, limit: Self.referenceLimit) {
            if let cached = self.profiles.value(sha256: reference.sha256) {
                profiles.append(cached)
                continue
            }
            do {
                let profile = ClipExplanation.profile(try ClipExplanation.analyse(try store.decodedAudio(of: reference)).features)
                self.profiles.store(profile, sha256: reference.sha256)
                profiles.append(profile)
            } catch {
                count(error, clip: reference, role: "reference")
                undecodable += 1
            }
        }
        guard let reference = ClipExplanation.reference(profiles) else {
            return Self.missing(
                "No normal reference for this asset yet: it has no random normal samples, and no clips labelled normal or false alarm, "
                    + "at \(clip.sampleRate) Hz\(undecodable > 0 ? " that can be decoded" : ""). "
                    + "Label a few clips of this asset as normal (or false alarm) to compare against.")
        }
        let explanation = ClipExplanation(
            clip: analysed.features, reference: reference, sampleRate: clip.sampleRate, firstFrameSeconds: analysed.firstFrameSeconds,
            secondsPerFrame: analysed.secondsPerFrame)
        var html: HTML =
            "<section id=\"explanation\"><p class=\"note\" id=\"reference-note\">Compared with the normal reference: the mean level per mel band of "
        html += "\(profiles.count) normal clip\(profiles.count == 1 ? "" : "s") of this asset at \(clip.sampleRate) Hz"
        html += " (the newest random normal samples and clips labelled normal or false alarm)."
        if undecodable > 0 { html += " \(undecodable) could not be decoded and \(undecodable == 1 ? "was" : "were") left out." }
        html += "</p>" + Self.images(explanation)
        html += "<h3>Which frequencies differ most</h3>" + Self.bandTable(explanation.topBands(Self.bandRows))
        html += "<h3>When</h3>" + Self.timeStrip(explanation)
        return html + "</section>"
    }

    /// Counts and logs a stored clip that could not be decoded or analysed.
    private func count(_ error: any Error, clip: ClipSummary, role: String) {
        metrics.refuseClipDecode(reason: (error as? AudioError)?.kind == .exceedsLimits ? .limits : .undecodable)
        logger.warning(
            "dashboard.clip.unexplained",
            metadata: ["agent.id": "\(clip.agentID)", "clip.seq": "\(clip.seq)", "clip.role": "\(role)", "error": "\(error)"])
    }

    private static func missing(_ message: String) -> HTML {
        "<p class=\"empty\" id=\"explanation-missing\">\(message)</p>"
    }

    /// The clip, the reference strip and the difference, side by side.
    private static func images(_ explanation: ClipExplanation) -> HTML {
        let (clip, reference) = explanation.levelImages()
        let range = Int(ClipExplanation.differenceRangeDB)
        return "<div class=\"spectra\">"
            + figure(
                "clip-image", "wide", clip, alt: "log-mel spectrogram of this clip",
                caption: "this clip: log-mel level, time →, frequency ↑ (0 to \(explanation.sampleRate / 2) Hz)")
            + figure("reference-image", "narrow", reference, alt: "normal reference level per band", caption: "normal")
            + figure(
                "difference-image", "wide", explanation.differenceImage(), alt: "difference from normal per time and band",
                caption: "difference from normal: red louder, blue quieter (±\(range) dB)")
            + "</div>"
    }

    private static func figure(_ id: String, _ size: String, _ png: [UInt8], alt: String, caption: String) -> HTML {
        "<figure class=\"\(size)\"><img id=\"\(id)\" class=\"explain-image\" src=\"data:image/png;base64,\(Data(png).base64EncodedString())\" "
            + "alt=\"\(alt)\"><figcaption>\(caption)</figcaption></figure>"
    }

    /// The bands that differ most: frequencies, levels and the difference.
    private static func bandTable(_ bands: [ClipExplanation.Band]) -> HTML {
        var html: HTML =
            "<table id=\"bands\"><tr><th>mel band</th><th>frequencies (Hz)</th><th>this clip (dB)</th><th>normal (dB)</th><th>difference</th></tr>"
        for band in bands {
            let difference = band.differenceDB
            html +=
                "<tr><td>\(band.index)</td><td>\(hz(band.lowHz))–\(hz(band.highHz)) (peak \(hz(band.centreHz)))</td>"
                + "<td>\(String(format: "%.1f", band.clipDB))</td><td>\(String(format: "%.1f", band.referenceDB))</td>"
                + "<td class=\"\(difference > 0 ? "louder" : "quieter")\">\(String(format: "%+.1f dB", difference)) "
                + "\(difference > 0 ? "louder" : "quieter")</td></tr>"
        }
        return html + "</table>"
    }

    private static func hz(_ value: Double) -> String { String(format: "%.0f", value) }

    /// The mean absolute difference from normal per frame as a line under the difference image, with
    /// the frame that differs most marked and named.
    private static func timeStrip(_ explanation: ClipExplanation) -> HTML {
        let deviations = explanation.frameDeviations
        guard let peak = deviations.indices.max(by: { deviations[$0] < deviations[$1] }) else { return "" }
        let (width, height, top, bottom) = (640.0, 110.0, 8.0, 22.0)
        let maxY = Double(max(deviations[peak], 1)) * 1.1
        let frames = Double(max(deviations.count - 1, 1))
        func x(_ frame: Int) -> Double { Double(frame) / frames * width }
        func y(_ value: Float) -> Double { top + (height - top - bottom) * (1 - Double(value) / maxY) }
        let start = explanation.firstFrameSeconds
        let duration = Double(deviations.count - 1) * explanation.secondsPerFrame
        var svg: HTML = "<svg id=\"when-chart\" class=\"chart when\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
        svg += "aria-label=\"mean difference from normal per time\">"
        for tick in 0...4 {
            let position = width * Double(tick) / 4
            let anchor = tick == 0 ? "start" : tick == 4 ? "end" : "middle"
            svg +=
                "<text class=\"axis\" x=\"\(f(position))\" y=\"\(f(height - 6))\" text-anchor=\"\(anchor)\">"
                + "\(String(format: "%.2f s", start + duration * Double(tick) / 4))</text>"
        }
        let points = deviations.indices.map { "\(f(x($0))),\(f(y(deviations[$0])))" }.joined(separator: " ")
        svg += "<polyline class=\"series deviation\" points=\"\(points)\"><title>mean |difference| per frame, dB</title></polyline>"
        svg += "<circle class=\"peak\" cx=\"\(f(x(peak)))\" cy=\"\(f(y(deviations[peak])))\" r=\"4\"/></svg>"
        let sorted = deviations.sorted()
        let median = sorted[sorted.count / 2]
        let when = start + Double(peak) * explanation.secondsPerFrame
        return svg
            + "<p class=\"note\" id=\"when-summary\">Differs most at \(String(format: "%.2f s", when)): on average "
            + "\(String(format: "%.1f dB", deviations[peak])) from normal across the bands (a typical moment: \(String(format: "%.1f dB", median))).</p>"
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
