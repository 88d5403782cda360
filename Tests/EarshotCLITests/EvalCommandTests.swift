import Foundation
import TestSupport
import Testing

@Suite struct EvalCommandTests {
    /// Trains the seed-000 model for one epoch on a tiny synthesized set and returns (dir, data, model).
    private func trainedModel() async throws -> (TemporaryDirectory, String, String) {
        let dir = try TemporaryDirectory()
        let data = try await synthesizeTinyFans(dir)
        let train = try await EarshotBinary.run([
            "train", "--config", configsDirectory.appendingPathComponent("mfcc-cnn1d.yaml").path, "--data", data, "--epochs", "1",
            "--out", dir.path("m.model"),
        ])
        #expect(train.status == 0, "stderr: \(train.stderr)")
        return (dir, data, dir.path("m.model"))
    }

    @Test func jsonHasTheAgreedKeysAndAPerGroupBreakdown() async throws {
        let (dir, data, model) = try await trainedModel()
        let result = try await EarshotBinary.run(["eval", "--model", model, "--data", data, "--json", "--predictions", dir.path("p.csv")])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for key in ["accuracy", "f1", "auc", "pauc", "confusion", "n", "per_group"] { #expect(object[key] != nil, "missing \(key)") }
        #expect(object["n"] as? Int == 12)
        let groups = try #require(object["per_group"] as? [String: [String: [String: Any]]])
        #expect(Set(groups["machine_id"]?.keys.map { $0 } ?? []) == ["fan/id_00", "fan/id_02"])
        #expect(groups["machine_id"]?["fan/id_00"]?["n"] as? Int == 6)
        #expect(groups["snr_db"]?["0"]?["n"] as? Int == 12)
        #expect(groups["machine_type"]?["fan"] != nil)
        let predictions = try String(contentsOfFile: dir.path("p.csv"), encoding: .utf8).split(separator: "\n")
        #expect(predictions.first == "path,label,predicted,p_abnormal,p_normal" && predictions.count == 13)
    }

    /// The int8 artifact of the same model is evaluated on the same clips, through the agent's window scorer,
    /// with the same report; its per-clip verdicts mostly agree with the float model's.
    @Test func anInt8ArtifactIsEvaluatedOnTheSameClipsAsTheFloatModel() async throws {
        let (dir, data, model) = try await trainedModel()
        let quantize = try await EarshotBinary.run([
            "quantize", "--model", model, "--calibration", data, "--family", "fan", "--out", dir.path("m.int8"),
        ])
        #expect(quantize.status == 0, "stderr: \(quantize.stderr)")
        let float = try await EarshotBinary.run(["eval", "--model", model, "--data", data, "--json", "--predictions", dir.path("f.csv")])
        let int8 = try await EarshotBinary.run([
            "eval", "--model", dir.path("m.int8"), "--data", data, "--json", "--predictions", dir.path("q.csv"),
        ])
        #expect(float.status == 0 && int8.status == 0, "stderr: \(int8.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(int8.stdout.utf8)) as? [String: Any])
        for key in ["accuracy", "f1", "auc", "pauc", "confusion", "n", "per_group"] { #expect(object[key] != nil, "missing \(key)") }
        #expect(object["n"] as? Int == 12)
        func predicted(_ file: String) throws -> [String] {
            try String(contentsOfFile: dir.path(file), encoding: .utf8).split(separator: "\n").dropFirst().map {
                String($0.split(separator: ",")[2])
            }
        }
        let agreeing = zip(try predicted("f.csv"), try predicted("q.csv")).filter { $0 == $1 }.count
        #expect(agreeing >= 10, "int8 and float agree on \(agreeing) of 12 clips")
    }

    /// `--features` rows: the int8 artifact runs each row through `Inference.Model` as the float model runs it through
    /// the float network, with the same report keys and a per-row predictions CSV; most verdicts agree.
    @Test func anInt8ArtifactIsEvaluatedOnTheSameFeatureRowsAsTheFloatModel() async throws {
        let (dir, data, model) = try await trainedModel()
        let features = try await EarshotBinary.run([
            "features", data, "--kind", "mfcc", "--n-mfcc", "40", "--mean", "--sample-rate", "22050",
            "--out", dir.path("X.npy"), "--labels-out", dir.path("y.npy"),
        ])
        #expect(features.status == 0, "stderr: \(features.stderr)")
        let quantize = try await EarshotBinary.run([
            "quantize", "--model", model, "--calibration", dir.path("X.npy"), "--family", "fan", "--out", dir.path("m.int8"),
        ])
        #expect(quantize.status == 0, "stderr: \(quantize.stderr)")
        func evaluate(_ model: String, _ csv: String) async throws -> (report: [String: Any], predicted: [String]) {
            let result = try await EarshotBinary.run([
                "eval", "--model", model, "--features", dir.path("X.npy"), "--labels", dir.path("y.npy"), "--json",
                "--predictions", dir.path(csv),
            ])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let lines = try String(contentsOfFile: dir.path(csv), encoding: .utf8).split(separator: "\n")
            #expect(lines.first == "path,label,predicted,p_abnormal,p_normal" && lines.count == 13)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            return (report, lines.dropFirst().map { String($0.split(separator: ",")[2]) })
        }
        let (floatReport, floatPredicted) = try await evaluate(model, "f.csv")
        let (int8Report, int8Predicted) = try await evaluate(dir.path("m.int8"), "q.csv")
        for key in ["accuracy", "f1", "auc", "pauc", "confusion", "n"] { #expect(int8Report[key] != nil, "missing \(key)") }
        #expect(int8Report["n"] as? Int == 12 && floatReport["n"] as? Int == 12)
        let agreeing = zip(floatPredicted, int8Predicted).filter { $0 == $1 }.count
        #expect(agreeing >= 10, "int8 and float agree on \(agreeing) of 12 rows")
    }

    /// The DCASE autoencoder on `--features` rows with `--index`: float and int8 both score each test clip by
    /// its vectors' mean reconstruction error, so the reports cover the same 8 clips.
    @Test func anInt8AutoencoderIsEvaluatedPerClipOnTheSameFeatureRows() async throws {
        let dir = try TemporaryDirectory()
        let data = try await synthesizeTinyFans(dir, layout: "dcase", machine: "pump")
        let train = try await EarshotBinary.run([
            "train", "--config", configsDirectory.appendingPathComponent("dcase-autoencoder.yaml").path, "--data", data + "/pump",
            "--epochs", "2", "--no-cache", "--out", dir.path("ae.model"),
        ])
        #expect(train.status == 0, "stderr: \(train.stderr)")
        let features = try await EarshotBinary.run([
            "features", data + "/pump/test", "--kind", "dcase-frames", "--n-fft", "1024", "--out", dir.path("X.npy"),
            "--labels-out", dir.path("y.npy"), "--index-out", dir.path("index.csv"),
        ])
        #expect(features.status == 0, "stderr: \(features.stderr)")
        let quantize = try await EarshotBinary.run([
            "quantize", "--model", dir.path("ae.model"), "--calibration", dir.path("X.npy"), "--family", "pump", "--out",
            dir.path("ae.int8"),
        ])
        #expect(quantize.status == 0, "stderr: \(quantize.stderr)")
        func evaluate(_ model: String) async throws -> [String: Any] {
            let result = try await EarshotBinary.run([
                "eval", "--model", model, "--features", dir.path("X.npy"), "--labels", dir.path("y.npy"), "--index",
                dir.path("index.csv"), "--json",
            ])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        }
        let float = try await evaluate(dir.path("ae.model"))
        let int8 = try await evaluate(dir.path("ae.int8"))
        #expect(float["n"] as? Int == 8 && int8["n"] as? Int == 8, "one score per clip: \(float["n"] ?? "-"), \(int8["n"] ?? "-")")
        // 4 anomalous × 4 normal clips: one swapped pair moves the AUC by 1/16.
        let (a, b) = (try #require(float["auc"] as? Double), try #require(int8["auc"] as? Double))
        #expect(abs(a - b) <= 1.0 / 16 + 1e-9, "AUC float \(a), int8 \(b)")
    }

    @Test func textOutputShowsTheBreakdown() async throws {
        let (dir, data, model) = try await trainedModel()
        let result = try await EarshotBinary.run(["eval", "--model", model, "--data", data])
        withExtendedLifetime(dir) {}
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for heading in ["accuracy", "confusion", "by machine_type:", "by machine_id:", "by snr_db:", "fan/id_02"] {
            #expect(result.stdout.contains(heading), "'\(heading)' missing: \(result.stdout)")
        }
    }

    @Test func aLabelTheModelDoesNotKnowIsRefused() async throws {
        let (dir, _, model) = try await trainedModel()
        // A DCASE-layout clip is labelled normal/abnormal too, but an unknown layout is refused by name.
        try "x".write(toFile: dir.path("stray.wav"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir.path("other"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: dir.path("stray.wav"), toPath: dir.path("other/stray.wav"))
        let result = try await EarshotBinary.run(["eval", "--model", model, "--data", dir.path("other")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("stray.wav"), "stderr: \(result.stderr)")
    }
}
