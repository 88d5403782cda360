import Foundation
import Synchronization

/// A progress bar on standard error for long commands (synthesis, training, dataset scans, benchmarks).
///
/// On a terminal it redraws one line in place, at most every 0.1 s:
/// `synth  [##########..........]  50/100  50%  2.1 s  eta 2.1 s`.
/// When standard error is not a terminal (a log file, CI) it prints a plain line at every
/// 10 % step instead, so logs stay short. `Sendable`: `advance` may be called from any
/// thread; the state sits behind a `Mutex`.
final class ProgressBar: Sendable {
    private struct State {
        var done = 0
        var lastDraw = 0.0
        var lastDecile = 0
        var lastShown = -1
        var finished = false
    }

    private let label: String
    private let total: Int
    private let interactive: Bool
    private let width: Int
    private let start = Date()
    private let state = Mutex(State())

    /// - Parameters:
    ///   - total: the number of steps that make 100 % (≥ 0).
    ///   - label: a short word shown before the bar.
    ///   - interactive: whether to redraw in place; defaults to whether standard error is a terminal.
    ///   - width: bar width in characters.
    init(total: Int, label: String, interactive: Bool = isatty(STDERR_FILENO) != 0, width: Int = 30) {
        self.total = max(total, 0)
        self.label = label
        self.interactive = interactive
        self.width = width
    }

    /// Marks one more step done.
    func advance() {
        state.withLock { state in
            state.done = min(total, state.done + 1)
            draw(&state, force: false)
        }
    }

    /// Draws the final state and ends the line. Calling it again does nothing.
    func finish() {
        state.withLock { state in
            guard !state.finished else { return }
            draw(&state, force: true)
            state.finished = true
            if interactive { Self.write("\n") }
        }
    }

    private func draw(_ state: inout State, force: Bool) {
        guard !state.finished else { return }
        guard !(force && state.done == state.lastShown) else { return }
        let elapsed = Date().timeIntervalSince(start)
        let fraction = total > 0 ? Double(state.done) / Double(total) : 1
        if interactive {
            guard force || state.done == total || elapsed - state.lastDraw >= 0.1 else { return }
            state.lastDraw = elapsed
            state.lastShown = state.done
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            Self.write("\r\(label)  [\(bar)]  \(status(done: state.done, fraction: fraction, elapsed: elapsed))\u{1B}[K")
        } else {
            let decile = Int(fraction * 10)
            guard force || decile > state.lastDecile else { return }
            state.lastDecile = decile
            state.lastShown = state.done
            Self.write("\(label): \(status(done: state.done, fraction: fraction, elapsed: elapsed))\n")
        }
    }

    private func status(done: Int, fraction: Double, elapsed: Double) -> String {
        var text = "\(done)/\(total)  \(Int(fraction * 100))%  " + String(format: "%.1f s", elapsed)
        if done > 0 && done < total {
            text += String(format: "  eta %.1f s", elapsed / Double(done) * Double(total - done))
        }
        return text
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
