import Foundation

/// A parsed CSV file (RFC 4180: quoted fields, doubled quotes, CRLF or LF): a header and rows of strings.
struct CSVTable {
    let header: [String]
    /// Rows with their 1-based line number in the file, each padded or cut to the header's width.
    let rows: [(line: Int, fields: [String])]

    /// - Throws: `TrainingError.invalidDataset` for an unterminated quote or an empty file.
    init(text: String, name: String) throws {
        var records: [(Int, [String])] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var iterator = text.makeIterator()
        var pending: Character?
        func endRecord() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
            fields = []
        }
        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        inQuotes = false
                        pending = next
                    }
                } else {
                    if c.isNewline { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: inQuotes = true
            case ",":
                fields.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default: field.append(c)
            }
        }
        guard !inQuotes else { throw TrainingError.invalidDataset("\(name): unterminated quoted field from line \(recordLine)") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let first = records.first else { throw TrainingError.invalidDataset("\(name): empty CSV (no header)") }
        header = first.1.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = records.dropFirst().map { record in
            var fields = Array(record.1.prefix(first.1.count))
            fields += repeatElement("", count: first.1.count - fields.count)
            return (record.0, fields)
        }
    }

    /// Index of a column by exact name.
    func column(_ name: String) -> Int? { header.firstIndex(of: name) }
}
