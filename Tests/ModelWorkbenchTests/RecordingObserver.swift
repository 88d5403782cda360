import ModelWorkbench
import Synchronization

/// A `WorkflowObserver` that keeps every line and counts every step, for tests to read.
final class RecordingObserver: WorkflowObserver {
    private struct Record {
        var lines: [String] = []
        var steps: [String: (total: Int, advanced: Int, finished: Bool)] = [:]
    }

    private let record = Mutex(Record())

    var lines: [String] { record.withLock { $0.lines } }

    /// The last counter begun under `label`.
    func counter(_ label: String) -> (total: Int, advanced: Int, finished: Bool)? { record.withLock { $0.steps[label] } }

    func note(_ line: String) {
        record.withLock { $0.lines.append(line) }
    }

    func steps(_ label: String, total: Int, transient: Bool) -> any StepCounter {
        record.withLock { $0.steps[label] = (total, 0, false) }
        return Counter(observer: self, label: label)
    }

    private struct Counter: StepCounter {
        let observer: RecordingObserver
        let label: String

        func advance() {
            observer.record.withLock { $0.steps[label]?.advanced += 1 }
        }

        func finish() {
            observer.record.withLock { $0.steps[label]?.finished = true }
        }
    }
}
