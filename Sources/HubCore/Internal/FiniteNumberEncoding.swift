extension KeyedEncodingContainer {
    /// Encodes `value`, or `null` when it is NaN or infinite: JSON has no non-finite numbers, and
    /// `JSONEncoder` throws on them, which would turn one bad stored score into a 500 for the whole
    /// response. The API documents these fields as nullable (`docs/openapi.yaml`).
    mutating func encodeFinite(_ value: Double, forKey key: Key) throws {
        if value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
