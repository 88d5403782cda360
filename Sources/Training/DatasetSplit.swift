import SeededRandom

/// A seeded, stratified split into training, validation and test sets. `Sendable`.
///
/// Within each class the sample order is shuffled with the seed, then the first
/// `round(validationFraction · n)` go to validation, the next `round(testFraction · n)` to test, the rest to
/// training; so every class keeps its proportion and the same seed always gives the same split.
public struct DatasetSplit: Sendable, Equatable {
    /// Indices of training samples, ascending.
    public var training: [Int]
    /// Indices of validation samples, ascending.
    public var validation: [Int]
    /// Indices of test samples, ascending.
    public var test: [Int]

    /// Splits samples with class indices `classes` (one per sample).
    public init(classes: [Int], validationFraction: Double, testFraction: Double, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var training: [Int] = [], validation: [Int] = [], test: [Int] = []
        for label in Set(classes).sorted() {
            var members = classes.indices.filter { classes[$0] == label }
            members.shuffle(using: &generator)
            let v = Int((validationFraction * Double(members.count)).rounded())
            let t = min(Int((testFraction * Double(members.count)).rounded()), members.count - v)
            validation += members[..<v]
            test += members[v..<(v + t)]
            training += members[(v + t)...]
        }
        self.training = training.sorted()
        self.validation = validation.sorted()
        self.test = test.sorted()
    }

    /// Splits whole groups (e.g. all windows of one clip) so no group straddles two sets: groups are split
    /// stratified by the class of their first sample, then expanded back to sample indices.
    public init(classes: [Int], groups: [Int], validationFraction: Double, testFraction: Double, seed: UInt64) {
        precondition(classes.count == groups.count, "DatasetSplit: \(classes.count) classes vs \(groups.count) groups")
        var firstClass: [Int: Int] = [:]
        var members: [Int: [Int]] = [:]
        for (sample, group) in groups.enumerated() {
            if firstClass[group] == nil { firstClass[group] = classes[sample] }
            members[group, default: []].append(sample)
        }
        let ids = members.keys.sorted()
        let byGroup = DatasetSplit(
            classes: ids.map { firstClass[$0]! }, validationFraction: validationFraction, testFraction: testFraction, seed: seed)
        func expand(_ positions: [Int]) -> [Int] { positions.flatMap { members[ids[$0]]! }.sorted() }
        training = expand(byGroup.training)
        validation = expand(byGroup.validation)
        test = expand(byGroup.test)
    }
}
