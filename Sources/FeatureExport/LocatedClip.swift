import Foundation
import MachineDatasets

/// One clip found among the inputs, with what its MIMII or DCASE path says about it.
struct LocatedClip {
    let path: String
    var label: ClipCondition?
    var machineType = ""
    var machineID = ""
    var snrDB = ""
    var split = ""

    /// Its line of the CSV index.
    func csvLine(firstRow: Int, rows: Int) -> String {
        let quotedPath =
            path.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + path.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : path
        return [quotedPath, label?.rawValue ?? "", machineType, machineID, snrDB, split, "\(firstRow)", "\(rows)"]
            .joined(separator: ",") + "\n"
    }

    /// `inputs` expanded to `.wav` files (a directory's sorted), each with the labels its path gives.
    static func clips(in inputs: [String]) throws(FeatureExportError) -> [LocatedClip] {
        var paths: [String] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw FeatureExportError("\(input): no such file or directory")
            }
            if isDirectory.boolValue {
                let found = (FileManager.default.enumerator(atPath: input)?.compactMap { $0 as? String } ?? [])
                    .filter { $0.lowercased().hasSuffix(".wav") }.sorted()
                paths += found.map { input.hasSuffix("/") ? input + $0 : input + "/" + $0 }
            } else {
                paths.append(input)
            }
        }
        return paths.map(locate)
    }

    /// The clip at `path`, labelled when the path follows the MIMII or DCASE layout.
    static func locate(_ path: String) -> LocatedClip {
        var clip = LocatedClip(path: path)
        guard let parsed = DatasetClipPath.parse(path) else { return clip }
        clip.machineType = parsed.machineType
        clip.machineID = parsed.machineName
        clip.label = parsed.condition
        clip.snrDB = parsed.snrDB ?? ""
        clip.split = parsed.split?.rawValue ?? ""
        return clip
    }
}
