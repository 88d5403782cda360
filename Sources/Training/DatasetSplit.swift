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
}
