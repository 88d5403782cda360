/// im2col / col2im for channels-last windows. A patch row is ordered (ky, kx, channel), which is the
/// row-major order of a Keras kernel `(kh, kw, inChannels, filters)` reshaped to `(patchSize, filters)`.
enum Im2Col {
    /// Writes `samples · outputPositions` rows of `patchSize` values; padded taps are zero.
    static func gather(
        _ input: UnsafePointer<Float>, samples: Int, geometry g: WindowGeometry, into cols: UnsafeMutablePointer<Float>
    ) {
        let c = g.channels
        let rowBytes = c  // contiguous channel run per tap
        var out = cols
        for n in 0..<samples {
            let sample = input + n * g.inputSize
            for oy in 0..<g.rows.output {
                let y0 = oy * g.rows.stride - g.rows.padBefore
                for ox in 0..<g.cols.output {
                    let x0 = ox * g.cols.stride - g.cols.padBefore
                    for ky in 0..<g.rows.kernel {
                        let y = y0 + ky
                        if y < 0 || y >= g.rows.input {
                            out.update(repeating: 0, count: g.cols.kernel * c)
                            out += g.cols.kernel * c
                            continue
                        }
                        for kx in 0..<g.cols.kernel {
                            let x = x0 + kx
                            if x < 0 || x >= g.cols.input {
                                out.update(repeating: 0, count: rowBytes)
                            } else {
                                out.update(from: sample + (y * g.cols.input + x) * c, count: rowBytes)
                            }
                            out += rowBytes
                        }
                    }
                }
            }
        }
    }

    /// Adds each patch-row gradient back onto the input positions it was gathered from.
    static func scatterAdd(
        _ cols: UnsafePointer<Float>, samples: Int, geometry g: WindowGeometry, into input: UnsafeMutablePointer<Float>
    ) {
        let c = g.channels
        var src = cols
        for n in 0..<samples {
            let sample = input + n * g.inputSize
            for oy in 0..<g.rows.output {
                let y0 = oy * g.rows.stride - g.rows.padBefore
                for ox in 0..<g.cols.output {
                    let x0 = ox * g.cols.stride - g.cols.padBefore
                    for ky in 0..<g.rows.kernel {
                        let y = y0 + ky
                        for kx in 0..<g.cols.kernel {
                            let x = x0 + kx
                            if y >= 0, y < g.rows.input, x >= 0, x < g.cols.input {
                                let dst = sample + (y * g.cols.input + x) * c
                                for ch in 0..<c { dst[ch] += src[ch] }
                            }
                            src += c
                        }
                    }
                }
            }
        }
    }
}
