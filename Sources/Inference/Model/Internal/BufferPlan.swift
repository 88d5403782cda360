/// Assigns every tensor an offset in one of two arenas (int8 and float) so that tensors whose lifetimes
/// do not overlap share memory: a tensor lives from the layer that produces it to the last layer that
/// reads it. Greedy first fit over "slots"; a slot grows to its largest occupant.
struct BufferPlan: Sendable {
    /// Element offset of each tensor in its arena.
    var offsets: [Int]
    /// Elements in the int8 arena.
    var int8Count: Int
    /// Elements in the float arena.
    var floatCount: Int

    init(_ graph: GraphDescription) {
        var lastUse = [Int](repeating: -1, count: graph.tensors.count)
        for (step, layer) in graph.layers.enumerated() {
            for input in layer.inputs { lastUse[input] = step }
        }
        lastUse[graph.output] = graph.layers.count
        var slots: [(isInt8: Bool, size: Int, freeAfter: Int)] = []
        var slotOf = [Int](repeating: -1, count: graph.tensors.count)
        func place(_ tensor: Int, at step: Int) {
            let info = graph.tensors[tensor]
            let free = slots.indices.filter { slots[$0].isInt8 == info.isInt8 && slots[$0].freeAfter < step }
            let chosen = free.max { slots[$0].size < slots[$1].size }
            if let chosen {
                slots[chosen].size = max(slots[chosen].size, info.count)
                slots[chosen].freeAfter = lastUse[tensor]
                slotOf[tensor] = chosen
            } else {
                slots.append((info.isInt8, info.count, lastUse[tensor]))
                slotOf[tensor] = slots.count - 1
            }
        }
        place(graph.input, at: -1)
        for (step, layer) in graph.layers.enumerated() { place(layer.output, at: step) }
        var slotOffsets = [Int](repeating: 0, count: slots.count)
        var int8Count = 0
        var floatCount = 0
        for (index, slot) in slots.enumerated() {
            if slot.isInt8 {
                slotOffsets[index] = int8Count
                int8Count += slot.size
            } else {
                slotOffsets[index] = floatCount
                floatCount += slot.size
            }
        }
        offsets = slotOf.map { $0 >= 0 ? slotOffsets[$0] : 0 }
        self.int8Count = int8Count
        self.floatCount = floatCount
    }
}
