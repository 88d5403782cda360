import Foundation
import ModelWorkbench

/// Shows a workbench run on standard error, keeping standard output for results: each line as it
/// comes, counted steps as a `ProgressBar`. Transient counters (one per epoch) are drawn only on a terminal.
struct TerminalObserver: WorkflowObserver {
    func note(_ line: String) {
        printError(line)
    }

    func steps(_ label: String, total: Int, transient: Bool) -> any StepCounter {
        if transient && isatty(STDERR_FILENO) == 0 { return SilentObserver().steps(label, total: total) }
        return ProgressBar(total: total, label: label)
    }
}

extension ProgressBar: StepCounter {}

/// Writes a progress line to standard error, keeping standard output for results.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
