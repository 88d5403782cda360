import Foundation

/// Which feature rows belong to which clip, read from the CSV that `earshot features --index-out` writes
/// (`path,label,…,first_row,rows`, one line per clip). Windows of one clip must stay together: in the same
/// split (no leakage between training and validation) and averaged into one clip score. `Sendable`.
public struct ClipIndex: Sendable, Equatable {
    /// Row range of each clip, in file order.
    public var ranges: [Range<Int>]

    /// Parses the CSV text; the last two fields of each line are `first_row` and `rows`.
    /// - Throws: `TrainingError.invalidDataset` naming the bad line.
    public init(csv: String) throws {
        var ranges: [Range<Int>] = []
        for (number, line) in csv.split(whereSeparator: \.isNewline).enumerated().dropFirst() where !line.isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 3, let first = Int(fields[fields.count - 2]), let rows = Int(fields[fields.count - 1]),
                first >= 0, rows > 0
            else { throw TrainingError.invalidDataset("clip index line \(number + 1): expected …,first_row,rows") }
            ranges.append(first..<(first + rows))
        }
        self.ranges = ranges
    }

    /// Reads and parses an index CSV.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw TrainingError.invalidDataset("\(path): cannot read the clip index")
        }
        try self.init(csv: text)
    }

    /// Clip number (0-based, file order) of each of `rowCount` rows.
    /// - Throws: `TrainingError.invalidDataset` unless the clips tile rows `0..<rowCount` exactly.
    public func clipOfRow(rowCount: Int) throws -> [Int] {
        var clips = [Int](repeating: -1, count: rowCount)
        for (clip, range) in ranges.enumerated() {
            guard range.upperBound <= rowCount else {
                throw TrainingError.invalidDataset("clip \(clip) covers rows \(range) but there are \(rowCount) rows")
            }
            for row in range {
                guard clips[row] == -1 else { throw TrainingError.invalidDataset("row \(row) belongs to two clips") }
                clips[row] = clip
            }
        }
        if let row = clips.firstIndex(of: -1) { throw TrainingError.invalidDataset("row \(row) belongs to no clip") }
        return clips
    }
}
