import Testing

@testable import Training

@Suite struct OptimizerTests {
    func parameter(_ value: Float, gradient: Float) -> Parameter {
        let p = Parameter(name: "w", shape: [1], value: [value])
        p.gradient = [gradient]
        return p
    }

    @Test func adamFirstStepMovesByTheLearningRate() {
        let p = parameter(1, gradient: 0.5)
        Optimizer(.adamDefault, parameters: [p]).step(learningRate: 0.1)
        // m = 0.05, v = 2.5e-4, α = 0.1·√(1−0.999)/(1−0.9): step = α·m/(√v + 1e-7) ≈ 0.1.
        #expect(abs(p.value[0] - 0.9) < 1e-5)
    }

    @Test func adamWDecaysBeforeTheAdamStep() {
        let p = parameter(1, gradient: 0.5)
        Optimizer(.adamW(weightDecay: 0.1), parameters: [p]).step(learningRate: 0.1)
        #expect(abs(p.value[0] - 0.89) < 1e-5)
    }

    @Test func sgdMomentumAccumulatesVelocity() {
        let p = parameter(1, gradient: 0.5)
        let sgd = Optimizer(.sgd(momentum: 0.9), parameters: [p])
        sgd.step(learningRate: 0.1)
        #expect(abs(p.value[0] - 0.95) < 1e-6)
        sgd.step(learningRate: 0.1)
        #expect(abs(p.value[0] - 0.855) < 1e-6)
    }

    @Test func globalNormClippingScalesAllGradients() {
        let a = parameter(0, gradient: 3), b = parameter(0, gradient: 4)
        let norm = GradientClipping.clipGlobalNorm([a, b], maxNorm: 1)
        #expect(norm == 5)
        #expect(abs(a.gradient[0] - 0.6) < 1e-6 && abs(b.gradient[0] - 0.8) < 1e-6)
        GradientClipping.clipGlobalNorm([a, b], maxNorm: 10)
        #expect(abs(a.gradient[0] - 0.6) < 1e-6)
    }
}
