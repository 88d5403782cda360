import Testing

@testable import Training

@Suite struct ClipIndexTests {
    let csv = """
        path,label,machine_type,machine_id,snr_db,split,first_row,rows
        "a,b.wav",normal,fan,id_00,6,train,0,3
        c.wav,abnormal,fan,id_00,6,train,3,2

        """

    @Test func mapsRowsToClipsEvenWithQuotedCommas() throws {
        let index = try ClipIndex(csv: csv)
        #expect(index.ranges == [0..<3, 3..<5])
        #expect(try index.clipOfRow(rowCount: 5) == [0, 0, 0, 1, 1])
    }

    @Test func rejectsGapsAndBadLines() throws {
        #expect(throws: TrainingError.self) { try ClipIndex(csv: csv).clipOfRow(rowCount: 6) }
        #expect(throws: TrainingError.self) { try ClipIndex(csv: "header\nx.wav,normal,first,rows\n") }
    }
}
