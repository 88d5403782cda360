import Testing

@testable import Training

@Suite struct DatasetSplitTests {
    @Test func keepsClassProportionsAndIsSeeded() {
        let classes = Array(repeating: 0, count: 80) + Array(repeating: 1, count: 20)
        let split = DatasetSplit(classes: classes, validationFraction: 0.1, testFraction: 0.1, seed: 5)
        #expect(split.validation.count == 10 && split.test.count == 10 && split.training.count == 80)
        #expect(split.validation.filter { classes[$0] == 1 }.count == 2)
        #expect(Set(split.training + split.validation + split.test).count == 100)
        #expect(split == DatasetSplit(classes: classes, validationFraction: 0.1, testFraction: 0.1, seed: 5))
        #expect(split != DatasetSplit(classes: classes, validationFraction: 0.1, testFraction: 0.1, seed: 6))
    }

    @Test func groupedSplitKeepsEveryGroupInOneSet() {
        let groups = (0..<100).map { $0 / 5 }  // 20 clips of 5 windows
        let classes = groups.map { $0 < 15 ? 1 : 0 }
        let split = DatasetSplit(classes: classes, groups: groups, validationFraction: 0.2, testFraction: 0, seed: 1)
        #expect(split.validation.count == 20 && split.training.count == 80)
        #expect(Set(split.validation.map { groups[$0] }).isDisjoint(with: split.training.map { groups[$0] }))
    }
}
